/** A registry's own login: never a cluster Secret. `token` is sent as a bearer token as it is. */
export interface RegistryLogin {
  username?: string;
  password?: string;
  token?: string;
}

export interface Challenge {
  scheme: "basic" | "bearer";
  params: Record<string, string>;
}

/** `Bearer realm="https://auth/token",service="registry",scope="repository:app:pull"` → its scheme and params. */
export function parseChallenge(header: string | string[] | undefined): Challenge | null {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return null;
  const match = /^\s*(basic|bearer)\b(.*)$/is.exec(text);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of (match[2] ?? "").matchAll(
    /([a-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi,
  )) {
    params[key!.toLowerCase()] = quoted ?? bare ?? "";
  }
  return { scheme: match[1]!.toLowerCase() as Challenge["scheme"], params };
}

export function basicAuthorization(login: RegistryLogin): string | undefined {
  if (login.username === undefined || login.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${login.username}:${login.password}`).toString("base64")}`;
}

/** The token endpoint's answer: `token` (Docker) or `access_token` (OAuth), with an optional lifetime. */
export function readTokenResponse(body: Buffer): { token: string; expiresInSeconds: number } | null {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as {
      token?: unknown;
      access_token?: unknown;
      expires_in?: unknown;
    };
    const token = typeof parsed.token === "string" ? parsed.token : parsed.access_token;
    if (typeof token !== "string" || token === "" || token.length > 16_384) return null;
    const expires = typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in : 60;
    return { token, expiresInSeconds: Math.min(expires, 3600) };
  } catch {
    return null;
  }
}
