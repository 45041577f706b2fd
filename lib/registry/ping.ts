import { isRegistryError } from "./errors";
import { createLimit, RegistryTransport, type RegistryAccess } from "./transport";

export interface PingResult {
  ok: boolean;
  message: string;
}

/**
 * The admin page's "Test": one read-only `GET /v2/` with the stored settings, answering the registry's challenge
 * with the stored login (an anonymous token when there is none). Says in words what happened; never a secret.
 */
export async function pingRegistry(access: RegistryAccess, timeoutMs = 8_000): Promise<PingResult> {
  const transport = new RegistryTransport(
    access,
    { timeoutMs, concurrency: 1, retries: 0, backoffMs: 0 },
    createLimit(1),
  );
  const scheme = access.insecure ? "plain HTTP" : "HTTPS";
  const as = access.login?.token
    ? "with the token"
    : access.login?.username
      ? `as ${access.login.username}`
      : "anonymously";
  try {
    const response = await transport.fetch({
      path: "/v2/",
      method: "GET",
      accept: ["application/json"],
      maxBytes: 65_536,
      followRedirects: false,
      repository: "",
    });
    if (response.status === 200)
      return { ok: true, message: `${access.host} answered the registry API over ${scheme}, signed in ${as}.` };
    if (response.status === 404)
      return { ok: false, message: `${access.host} answered 404 to /v2/: it does not look like a container registry.` };
    return { ok: false, message: `${access.host} answered ${response.status} to /v2/ over ${scheme}.` };
  } catch (error) {
    if (isRegistryError(error)) return { ok: false, message: error.message };
    throw error;
  }
}
