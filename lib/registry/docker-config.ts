import { isRegistryHost } from "./reference";

/** An uploaded `~/.docker/config.json` is untrusted: at most this size, this many registries. */
export const DOCKER_CONFIG_MAX_BYTES = 256 * 1024;
const MAX_ENTRIES = 100;

export interface DockerConfigLogin {
  host: string;
  username?: string;
  password?: string;
  token?: string;
}

export interface DockerConfigContents {
  logins: DockerConfigLogin[];
  /** Entries left out, each with why (never a secret). */
  skipped: { host: string; reason: string }[];
  /** Credential helpers named by the file: never run, only reported. */
  helpers: string[];
}

/** `https://index.docker.io/v1/` → `docker.io`; `ghcr.io` stays; anything else that is not a host → null. */
function hostOf(key: string): string | null {
  const bare =
    key
      .trim()
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, "")
      .split("/")[0] ?? "";
  const host = bare === "index.docker.io" || bare === "registry-1.docker.io" ? "docker.io" : bare;
  return isRegistryHost(host) ? host : null;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value !== "" && value.length <= max ? value : undefined;
}

function loginOf(host: string, entry: Record<string, unknown>): DockerConfigLogin | string {
  if (text(entry.identitytoken, 16_384))
    return "an identity token (OAuth login) is not supported: give a username and password or an access token";
  const token = text(entry.registrytoken, 16_384);
  if (token) return { host, token };
  let username = text(entry.username, 256);
  let password = text(entry.password, 4096);
  const auth = text(entry.auth, 8192);
  if (auth && !(username && password)) {
    const decoded = Buffer.from(auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0) return "its auth field is not base64 of user:password";
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (!username || !password) return "it holds no username and password";
  return { host, username, password };
}

/** Reads the registries of a Docker CLI config; throws an Error saying what is wrong with the file as a whole. */
export function parseDockerConfig(body: string): DockerConfigContents {
  if (Buffer.byteLength(body) > DOCKER_CONFIG_MAX_BYTES)
    throw new Error(`The file is larger than ${DOCKER_CONFIG_MAX_BYTES / 1024} KiB; a Docker config is far smaller`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error("The file is not JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json))
    throw new Error("The file is not a Docker config object");
  const config = json as { auths?: unknown; credsStore?: unknown; credHelpers?: unknown };
  const helpers: string[] = [];
  if (typeof config.credsStore === "string") helpers.push(`credsStore "${config.credsStore.slice(0, 40)}"`);
  if (config.credHelpers && typeof config.credHelpers === "object")
    helpers.push(
      ...Object.keys(config.credHelpers)
        .slice(0, MAX_ENTRIES)
        .map((host) => `credHelpers for ${host.slice(0, 100)}`),
    );
  const auths = config.auths && typeof config.auths === "object" ? Object.entries(config.auths) : [];
  const result: DockerConfigContents = { logins: [], skipped: [], helpers };
  for (const [key, value] of auths.slice(0, MAX_ENTRIES)) {
    const host = hostOf(key);
    if (!host) {
      result.skipped.push({ host: key.slice(0, 100), reason: "it is not a registry host name" });
      continue;
    }
    const login =
      value && typeof value === "object" ? loginOf(host, value as Record<string, unknown>) : "it is not an object";
    if (typeof login === "string") result.skipped.push({ host, reason: login });
    else result.logins.push(login);
  }
  if (auths.length > MAX_ENTRIES)
    result.skipped.push({
      host: `${auths.length - MAX_ENTRIES} more`,
      reason: `only the first ${MAX_ENTRIES} are read`,
    });
  return result;
}
