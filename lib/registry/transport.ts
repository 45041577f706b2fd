import { basicAuthorization, parseChallenge, readTokenResponse, type RegistryLogin } from "./auth";
import { RegistryError } from "./errors";
import { httpRequest, type HttpResponse } from "./http";
import { registryBaseUrl } from "./reference";

/** One registry as the admin configured it; a host without settings is read anonymously over HTTPS. */
export interface RegistryAccess {
  host: string;
  login?: RegistryLogin;
  /** PEM of a private CA for this host. */
  ca?: string;
  /** Plain HTTP: only for a registry the admin marked insecure. */
  insecure?: boolean;
}

export interface TransportOptions {
  timeoutMs: number;
  concurrency: number;
  retries: number;
  backoffMs: number;
  signal?: AbortSignal;
  /** Sees every request sent (method, URL, whether it carried credentials): tests and the benchmark count them. */
  onRequest?: (event: { method: string; url: URL; authorized: boolean }) => void;
}

export interface Fetch {
  path: string;
  method: "GET" | "HEAD";
  accept: string[];
  maxBytes: number;
  /** Blobs only: a registry may send them from other storage, which never gets the credentials. */
  followRedirects: boolean;
  /** The `repository:name:pull` scope a bearer token is asked for. */
  repository: string;
}

const MAX_REDIRECTS = 3;
const RETRIED = (status: number) => status === 429 || status >= 500;

/** Requests to one registry: the challenge flow, bounded concurrency, retries with backoff, no cross-host credentials. */
export class RegistryTransport {
  private readonly tokens = new Map<string, { authorization: string; expiresAt: number }>();
  private basic = false;

  constructor(
    readonly access: RegistryAccess,
    private readonly options: TransportOptions,
    private readonly limit: <T>(task: () => Promise<T>) => Promise<T>,
  ) {}

  get host(): string {
    return this.access.host;
  }

  async fetch(request: Fetch): Promise<HttpResponse> {
    const url = new URL(request.path, registryBaseUrl(this.access.host, this.access.insecure ?? false));
    let authorization = this.authorizationFor(request.repository);
    let response = await this.send(url, request, authorization);
    if (response.status === 401) {
      authorization = await this.answerChallenge(response, request.repository);
      response = await this.send(url, request, authorization);
      if (response.status === 401) throw this.refused();
    }
    if (request.followRedirects) response = await this.followRedirects(url, response, request);
    else if (response.status >= 300 && response.status < 400)
      throw new RegistryError(
        "redirect",
        `Registry ${this.host} redirected ${url.pathname} to ${locationHost(url, response)}: only blob downloads may be redirected`,
      );
    return response;
  }

  private authorizationFor(repository: string): string | undefined {
    const token = this.tokens.get(repository);
    if (token && token.expiresAt > Date.now()) return token.authorization;
    if (this.basic) return basicAuthorization(this.access.login ?? {});
    return undefined;
  }

  private refused(): RegistryError {
    const login = this.access.login;
    if (!login?.token && !basicAuthorization(login ?? {}))
      return new RegistryError(
        "no-credential",
        `Registry ${this.host} needs a credential and none is configured for it`,
      );
    return new RegistryError("unauthorized", `Registry ${this.host} refused the configured credential (401)`);
  }

  private async answerChallenge(response: HttpResponse, repository: string): Promise<string> {
    const challenge = parseChallenge(response.headers["www-authenticate"]);
    const login = this.access.login ?? {};
    if (challenge?.scheme === "basic") {
      const basic = basicAuthorization(login);
      if (!basic) throw this.refused();
      this.basic = true;
      return basic;
    }
    if (challenge?.scheme !== "bearer" || !challenge.params.realm) throw this.refused();
    if (login.token) return `Bearer ${login.token}`;
    const realm = this.realmUrl(challenge.params.realm);
    if (challenge.params.service) realm.searchParams.set("service", challenge.params.service);
    // The `/v2/` ping asks for a token without a repository scope.
    if (repository) realm.searchParams.set("scope", `repository:${repository}:pull`);
    const basic = basicAuthorization(login);
    const answer = await this.send(realm, { method: "GET", accept: ["application/json"], maxBytes: 65_536 }, basic);
    if (answer.status === 401 || answer.status === 403) throw this.refused();
    if (answer.status !== 200)
      throw new RegistryError("server-error", `The token service of registry ${this.host} answered ${answer.status}`);
    const token = readTokenResponse(answer.body);
    if (!token) throw new RegistryError("not-json", `The token service of registry ${this.host} sent no token`);
    const authorization = `Bearer ${token.token}`;
    this.tokens.set(repository, { authorization, expiresAt: Date.now() + (token.expiresInSeconds - 5) * 1000 });
    return authorization;
  }

  /** The token realm the registry names, which gets the login: HTTPS (or this insecure host) on the registry's domain. */
  private realmUrl(realm: string): URL {
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError("unsupported", `Registry ${this.host} named an invalid token realm`);
    }
    const registry = registryBaseUrl(this.host, this.access.insecure ?? false);
    const plainOk = url.protocol === "http:" && this.access.insecure && url.host === registry.host;
    if ((url.protocol !== "https:" && !plainOk) || !sameDomain(url.hostname, registry.hostname))
      throw new RegistryError(
        "unsupported",
        `Registry ${this.host} asked for its credential at ${url.protocol}//${url.host}, which is not on its domain over HTTPS`,
      );
    return url;
  }

  private async followRedirects(from: URL, response: HttpResponse, request: Fetch): Promise<HttpResponse> {
    let url = from;
    for (let hop = 0; response.status >= 300 && response.status < 400; hop++) {
      if (hop === MAX_REDIRECTS)
        throw new RegistryError(
          "redirect",
          `Registry ${this.host} redirected ${from.pathname} more than ${MAX_REDIRECTS} times`,
        );
      const next = new URL(String(response.headers.location ?? ""), url);
      if (next.protocol !== "https:" && !(next.protocol === "http:" && this.access.insecure))
        throw new RegistryError(
          "redirect",
          `Registry ${this.host} redirected a blob to ${next.protocol}//${next.host}`,
        );
      url = next;
      // Storage behind a redirect gets a signed URL, never the registry's credentials.
      const sameHost = url.host === from.host;
      response = await this.send(url, request, sameHost ? this.authorizationFor(request.repository) : undefined);
    }
    return response;
  }

  /** One request through the concurrency limit, retried on 429/5xx and dropped connections. */
  private async send(
    url: URL,
    request: Pick<Fetch, "method" | "accept" | "maxBytes">,
    authorization: string | undefined,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: request.accept.join(", "), "User-Agent": "rampart" };
    if (authorization) headers.Authorization = authorization;
    // The admin's CA for this registry also verifies its token service on the same host name.
    const ca = url.hostname === registryBaseUrl(this.host, false).hostname ? this.access.ca : undefined;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.options.retries;
      let response: HttpResponse;
      try {
        response = await this.limit(() => {
          this.options.onRequest?.({ method: request.method, url, authorized: authorization !== undefined });
          return httpRequest({
            url,
            method: request.method,
            headers,
            timeoutMs: this.options.timeoutMs,
            maxBytes: request.maxBytes,
            ...(ca ? { ca } : {}),
            ...(this.options.signal ? { signal: this.options.signal } : {}),
          });
        });
      } catch (error) {
        const retry = error instanceof RegistryError && error.failure === "unreachable" && !/TLS/.test(error.message);
        if (last || !retry) throw error;
        await this.pause(attempt, undefined);
        continue;
      }
      if (!RETRIED(response.status)) return response;
      if (last)
        throw new RegistryError(
          response.status === 429 ? "timeout" : "server-error",
          `Registry ${this.host} answered ${response.status} to ${url.pathname} after ${attempt + 1} attempts`,
        );
      await this.pause(attempt, response.headers["retry-after"]);
    }
  }

  private async pause(attempt: number, retryAfter: string | string[] | undefined): Promise<void> {
    const asked = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) * 1000;
    const wait = Number.isFinite(asked) && asked > 0 ? Math.min(asked, 5_000) : this.options.backoffMs * 2 ** attempt;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function locationHost(base: URL, response: HttpResponse): string {
  try {
    return new URL(String(response.headers.location ?? ""), base).host;
  } catch {
    return "an invalid location";
  }
}

/** `auth.docker.io` and `registry-1.docker.io` share `docker.io`; an IP address only matches itself. */
function sameDomain(a: string, b: string): boolean {
  if (a === b) return true;
  if (/^[\d.]+$|:/.test(a) || /^[\d.]+$|:/.test(b)) return false;
  const domain = (host: string) => host.split(".").slice(-2).join(".");
  return domain(a) === domain(b);
}

/** At most `n` tasks at once, the rest queued in order. */
export function createLimit(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
