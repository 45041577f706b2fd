import * as client from "openid-client";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { signInWithOidcClaims } from "@/lib/services/sign-in";
import type { OidcConfig } from "./oidc-config";
import { safeNextPath } from "./safe-next";
import type { RequestMeta } from "./session-store";

export const OIDC_COOKIE = "rampart_oidc";
const TIMEOUT_S = 10;
const DISCOVERY_TTL_MS = 10 * 60 * 1000;

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), next: z.string() });

/** Plain HTTP only for a provider on this machine (tests, a local IdP); anywhere else it must be HTTPS. */
function isLoopbackHttp(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(issuer.hostname);
}

const discovered = new Map<string, { at: number; configuration: Promise<client.Configuration> }>();

/**
 * openid-client's view of the provider: discovery document, endpoints and the JWKS cache, kept ten minutes per
 * issuer and client. A failed discovery is not kept.
 */
export function getOidcClient(config: OidcConfig, now = Date.now()): Promise<client.Configuration> {
  const key = `${config.issuer} ${config.clientId} ${config.clientSecret}`;
  const cached = discovered.get(key);
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.configuration;
  const issuer = new URL(config.issuer);
  const configuration = client.discovery(
    issuer,
    config.clientId,
    undefined,
    client.ClientSecretBasic(config.clientSecret),
    { timeout: TIMEOUT_S, execute: isLoopbackHttp(issuer) ? [client.allowInsecureRequests] : [] },
  );
  discovered.set(key, { at: now, configuration });
  configuration.catch(() => discovered.delete(key));
  return configuration;
}

/** Tests that change a cached client (a substituted token endpoint) start over with this. */
export function forgetOidcClients(): void {
  discovered.clear();
}

/** The provider URL to send the browser to, and the cookie value that must come back with the callback. */
export async function startAuthorization(
  config: OidcConfig,
  redirectUri: string,
  next: string,
): Promise<{ url: string; cookie: string }> {
  const oidc = await getOidcClient(config);
  const verifier = client.randomPKCECodeVerifier();
  const pending = { state: client.randomState(), nonce: client.randomNonce(), verifier, next: safeNextPath(next) };
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: redirectUri,
    scope: config.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  return { url: url.toString(), cookie: Buffer.from(JSON.stringify(pending)).toString("base64url") };
}

export type CallbackResult = { ok: true; sessionToken: string; next: string } | { ok: false; reason: string };

interface CallbackInput {
  callbackUrl: string;
  cookie: string | null;
  redirectUri: string;
  meta: RequestMeta;
}

function readPending(cookie: string | null) {
  if (!cookie) return null;
  try {
    return pendingSchema.parse(JSON.parse(Buffer.from(cookie, "base64url").toString("utf8")));
  } catch {
    return null;
  }
}

/** openid-client wraps the precise check that failed (`unexpected JWT "aud" (audience) claim value`) as the cause. */
function describeError(error: unknown): string {
  if (error instanceof client.ResponseBodyError) return `the token endpoint answered ${error.status} ${error.error}`;
  if (error instanceof client.WWWAuthenticateChallengeError) {
    const challenge = error.cause[0];
    return `the token endpoint answered ${error.status} ${challenge?.parameters.error ?? challenge?.scheme ?? ""}`;
  }
  if (!(error instanceof Error)) return "unknown error";
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

interface ProviderIdentity {
  claims: Record<string, unknown>;
  groups: unknown;
}

/**
 * Code exchange and ID token checks (signature, issuer, audience and azp, expiry, nonce, PKCE) by openid-client.
 * Providers that keep groups out of the ID token serve them from userinfo, checked to be the same subject.
 */
async function redeemCode(
  config: OidcConfig,
  input: CallbackInput,
  pending: z.infer<typeof pendingSchema>,
): Promise<ProviderIdentity> {
  const oidc = await getOidcClient(config);
  // The redirect URI sent to the token endpoint is this URL without its query: the one the provider saw.
  const currentUrl = new URL(input.redirectUri);
  currentUrl.search = new URL(input.callbackUrl).search;
  const tokens = await client.authorizationCodeGrant(oidc, currentUrl, {
    pkceCodeVerifier: pending.verifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error("the provider returned no ID token");
  let groups: unknown = claims[config.groupsClaim];
  if (groups === undefined && tokens.access_token && oidc.serverMetadata().userinfo_endpoint) {
    const info = await client.fetchUserInfo(oidc, tokens.access_token, claims.sub).catch(() => null);
    groups = info?.[config.groupsClaim];
  }
  return { claims: { ...claims }, groups };
}

/** Checks the callback, verifies the ID token, maps groups to a role and opens a session; audit-logs either way. */
export async function completeAuthorization(db: Db, config: OidcConfig, input: CallbackInput): Promise<CallbackResult> {
  const fail = async (reason: string): Promise<CallbackResult> => {
    await recordAudit(db, {
      actor: "anonymous",
      action: "sign-in.failed",
      detail: { method: "oidc", reason },
      source: input.meta.ip,
    });
    return { ok: false, reason };
  };
  const params = new URL(input.callbackUrl).searchParams;
  const pending = readPending(input.cookie);
  if (!pending || params.get("state") !== pending.state) return fail("state mismatch");
  if (!params.get("code")) return fail(`provider error: ${(params.get("error") ?? "no code").slice(0, 60)}`);
  let identity: ProviderIdentity;
  try {
    identity = await redeemCode(config, input, pending);
  } catch (error) {
    return fail(`token rejected: ${describeError(error).slice(0, 120)}`);
  }
  const result = await signInWithOidcClaims(db, {
    issuer: config.issuer,
    groupRoles: config.groupRoles,
    ...identity,
    meta: input.meta,
  });
  return result.ok ? { ...result, next: pending.next } : result;
}
