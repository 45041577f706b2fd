import { createHash, randomBytes } from "node:crypto";
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from "jose";
import { z } from "zod";
import type { Db } from "@/lib/db";
import { recordAudit } from "@/lib/services/audit";
import { roleForGroups, type OidcConfig } from "./oidc-config";
import { safeNextPath } from "./safe-next";
import { createSession, type RequestMeta } from "./session-store";

export const OIDC_COOKIE = "rampart_oidc";
const FETCH_TIMEOUT_MS = 10_000;

const metadataSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
});
type ProviderMetadata = z.infer<typeof metadataSchema>;

const pendingSchema = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), next: z.string() });

const jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export async function discover(config: OidcConfig): Promise<ProviderMetadata> {
  const response = await fetch(`${config.issuer}/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`OpenID discovery answered ${response.status}`);
  const metadata = metadataSchema.parse(await response.json());
  if (metadata.issuer.replace(/\/$/, "") !== config.issuer) throw new Error("OpenID discovery names another issuer");
  return metadata;
}

const random = () => randomBytes(32).toString("base64url");

/** The provider URL to send the browser to, and the cookie value that must come back with the callback. */
export async function startAuthorization(
  config: OidcConfig,
  redirectUri: string,
  next: string,
): Promise<{ url: string; cookie: string }> {
  const metadata = await discover(config);
  const pending = { state: random(), nonce: random(), verifier: random(), next: safeNextPath(next) };
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: config.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: createHash("sha256").update(pending.verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  return { url: url.toString(), cookie: Buffer.from(JSON.stringify(pending)).toString("base64url") };
}

async function exchangeCode(
  config: OidcConfig,
  metadata: ProviderMetadata,
  code: string,
  redirectUri: string,
  verifier: string,
) {
  const basic = Buffer.from(
    `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`,
  ).toString("base64");
  const response = await fetch(metadata.token_endpoint, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
  return z.object({ id_token: z.string(), access_token: z.string().optional() }).parse(await response.json());
}

/** Signature, issuer, audience (this client only), expiry and nonce of an ID token. */
export async function verifyIdToken(
  config: OidcConfig,
  metadata: ProviderMetadata,
  idToken: string,
  nonce: string,
): Promise<JWTPayload> {
  let keys = jwks.get(metadata.jwks_uri);
  if (!keys) jwks.set(metadata.jwks_uri, (keys = createRemoteJWKSet(new URL(metadata.jwks_uri))));
  const { payload } = await jwtVerify(idToken, keys, {
    issuer: metadata.issuer,
    audience: config.clientId,
    clockTolerance: 30,
  });
  if (payload.nonce !== nonce) throw new Error("the ID token's nonce does not match");
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== config.clientId) {
    throw new Error("the ID token was issued to another client");
  }
  return payload;
}

/** Providers that keep groups out of the ID token serve them from userinfo, for the same subject. */
async function groupsOf(config: OidcConfig, metadata: ProviderMetadata, claims: JWTPayload, accessToken?: string) {
  if (claims[config.groupsClaim] !== undefined || !accessToken || !metadata.userinfo_endpoint)
    return claims[config.groupsClaim];
  const response = await fetch(metadata.userinfo_endpoint, {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) return undefined;
  const info = (await response.json()) as Record<string, unknown>;
  return info.sub === claims.sub ? info[config.groupsClaim] : undefined;
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

/** Checks the callback, verifies the ID token, maps groups to a role and opens a session; audit-logs either way. */
export async function completeAuthorization(db: Db, config: OidcConfig, input: CallbackInput): Promise<CallbackResult> {
  const fail = async (reason: string, actor = "anonymous"): Promise<CallbackResult> => {
    await recordAudit(db, {
      actor,
      action: "sign-in.failed",
      detail: { method: "oidc", reason },
      source: input.meta.ip,
    });
    return { ok: false, reason };
  };
  const params = new URL(input.callbackUrl).searchParams;
  const pending = readPending(input.cookie);
  if (!pending || params.get("state") !== pending.state) return fail("state mismatch");
  const code = params.get("code");
  if (!code) return fail(`provider error: ${(params.get("error") ?? "no code").slice(0, 60)}`);
  let claims: JWTPayload;
  let groups: unknown;
  try {
    const metadata = await discover(config);
    const tokens = await exchangeCode(config, metadata, code, input.redirectUri, pending.verifier);
    claims = await verifyIdToken(config, metadata, tokens.id_token, pending.nonce);
    groups = await groupsOf(config, metadata, claims, tokens.access_token);
  } catch (error) {
    return fail(`token rejected: ${error instanceof Error ? error.message.slice(0, 120) : "unknown"}`);
  }
  return signInSubject(db, config, { claims, groups, next: pending.next, meta: input.meta, fail });
}

interface SubjectInput {
  claims: JWTPayload;
  groups: unknown;
  next: string;
  meta: RequestMeta;
  fail: (reason: string, actor?: string) => Promise<CallbackResult>;
}

/** The provider decides the role on every sign-in; a matching password account is linked only for a verified email. */
async function signInSubject(db: Db, config: OidcConfig, input: SubjectInput): Promise<CallbackResult> {
  const { claims, fail } = input;
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : "";
  const subject = `${config.issuer}|${claims.sub ?? ""}`;
  if (!claims.sub || !email) return fail("no subject or email claim");
  const role = roleForGroups(input.groups, config.groupRoles);
  if (!role) return fail("no group mapped to a role", email);
  let user = await db.user.findUnique({ where: { oidcSubject: subject } });
  if (!user) {
    const byEmail = await db.user.findUnique({ where: { email } });
    if (byEmail && (byEmail.oidcSubject || claims.email_verified !== true))
      return fail("email belongs to another account", email);
    user = byEmail
      ? await db.user.update({ where: { id: byEmail.id }, data: { oidcSubject: subject } })
      : await db.user.create({
          data: {
            email,
            name: typeof claims.name === "string" ? claims.name.slice(0, 120) : "",
            role,
            oidcSubject: subject,
          },
        });
  }
  if (user.disabled) return fail("disabled", email);
  await db.user.update({ where: { id: user.id }, data: { role, lastSignInAt: new Date() } });
  const sessionToken = await createSession(db, user.id, input.meta);
  await recordAudit(db, {
    actor: email,
    action: "sign-in.succeeded",
    detail: { method: "oidc", role },
    source: input.meta.ip,
  });
  return { ok: true, sessionToken, next: input.next };
}
