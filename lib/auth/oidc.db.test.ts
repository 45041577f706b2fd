import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { getSessionUser } from "@/lib/services/sessions";
import { createUser, setUserDisabled } from "@/lib/services/users";
import { completeAuthorization, forgetOidcClients, getOidcClient, startAuthorization } from "./oidc";
import type { OidcConfig } from "./oidc-config";
import { followToCallback, startLocalProvider, type LocalProvider } from "./oidc-provider.testing";

const test = setupTestDatabase();
const REDIRECT = "http://127.0.0.1:9/api/auth/oidc/callback";
const RAMPART = { clientId: "rampart", clientSecret: "rampart-client-secret" };
const OTHER = { clientId: "other-app", clientSecret: "other-client-secret" };
const meta = { ip: "203.0.113.9" };
let provider: LocalProvider;
let config: OidcConfig;

beforeAll(async () => {
  provider = await startLocalProvider([RAMPART, OTHER], REDIRECT);
  config = {
    issuer: provider.issuer,
    ...RAMPART,
    groupsClaim: "groups",
    scopes: "openid email profile groups",
    groupRoles: { "rampart-viewers": "viewer", "rampart-security": "security", "rampart-admins": "admin" },
  };
});
afterAll(async () => provider?.close());

async function signInAs(
  account: Partial<LocalProvider["account"]> & { sub: string },
  tamper?: (url: string) => string,
) {
  provider.account = { email: `${account.sub}@idp.test`, emailVerified: true, groups: [], ...account };
  const { url, cookie } = await startAuthorization(config, REDIRECT, "/violations");
  const callbackUrl = await followToCallback(url, REDIRECT);
  return completeAuthorization(test.db, config, {
    callbackUrl: tamper ? tamper(callbackUrl) : callbackUrl,
    cookie,
    redirectUri: REDIRECT,
    meta,
  });
}

interface Pending {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

const readCookie = (cookie: string) => JSON.parse(Buffer.from(cookie, "base64url").toString("utf8")) as Pending;
const writeCookie = (pending: Pending) => Buffer.from(JSON.stringify(pending)).toString("base64url");

async function lastFailure(): Promise<unknown> {
  const row = await test.db.auditLog.findFirst({ where: { action: "sign-in.failed" }, orderBy: { at: "desc" } });
  return row?.detail;
}

describe("OpenID Connect sign-in against a real oidc-provider", () => {
  it("creates the user with the role of their groups and opens a session", async () => {
    const result = await signInAs({ sub: "alice", groups: ["rampart-viewers", "rampart-security"] });
    if (!result.ok) throw new Error(result.reason);
    expect(result.next).toBe("/violations");
    expect(await getSessionUser(test.db, result.sessionToken)).toMatchObject({
      email: "alice@idp.test",
      role: "security",
    });
    const user = await test.db.user.findUniqueOrThrow({ where: { email: "alice@idp.test" } });
    expect(user).toMatchObject({ oidcSubject: `${provider.issuer}|alice`, passwordHash: null });
    const audit = await test.db.auditLog.findFirst({
      where: { action: "sign-in.succeeded", actor: "alice@idp.test" },
    });
    expect(audit).toMatchObject({ source: "203.0.113.9", detail: { method: "oidc", role: "security" } });
  });

  it("follows the provider's groups at the next sign-in, and refuses a user in no mapped group", async () => {
    const result = await signInAs({ sub: "alice", groups: ["rampart-viewers"] });
    if (!result.ok) throw new Error(result.reason);
    expect((await getSessionUser(test.db, result.sessionToken))?.role).toBe("viewer");
    expect(await signInAs({ sub: "bob", groups: ["payroll"] })).toEqual({
      ok: false,
      reason: "no group mapped to a role",
    });
    expect(await test.db.user.count({ where: { email: "bob@idp.test" } })).toBe(0);
  });

  it("refuses a disabled user", async () => {
    const alice = await test.db.user.findUniqueOrThrow({ where: { email: "alice@idp.test" } });
    await createUser(
      test.db,
      { email: "root@rampart.test", role: "admin", password: "a long enough password" },
      { email: "system" },
    );
    await setUserDisabled(test.db, alice.id, true, { email: "root@rampart.test" });
    expect(await signInAs({ sub: "alice", groups: ["rampart-admins"] })).toEqual({ ok: false, reason: "disabled" });
    expect(await lastFailure()).toEqual({ method: "oidc", reason: "disabled" });
    expect((await test.db.user.findUniqueOrThrow({ where: { id: alice.id } })).role).toBe("viewer");
  });

  it("refuses an ID token issued to another client (wrong audience), and one with another nonce", async () => {
    provider.account = { sub: "carol", email: "carol@idp.test", emailVerified: true, groups: ["rampart-admins"] };
    const otherConfig = { ...config, ...OTHER };
    const other = await startAuthorization(otherConfig, REDIRECT, "/");
    const code = new URL(await followToCallback(other.url, REDIRECT)).searchParams.get("code") ?? "";
    const otherPending = readCookie(other.cookie);
    const tokenEndpoint = (await getOidcClient(config)).serverMetadata().token_endpoint ?? "";
    const otherTokens = await fetch(tokenEndpoint, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${OTHER.clientId}:${OTHER.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: otherPending.verifier,
      }),
    }).then((response) => response.text());
    expect(JSON.parse(otherTokens)).toHaveProperty("id_token");
    // Rampart's own flow, whose token endpoint answer is swapped for the other client's tokens (same nonce).
    const own = await startAuthorization(config, REDIRECT, "/");
    const callbackUrl = await followToCallback(own.url, REDIRECT);
    const swapped = writeCookie({ ...readCookie(own.cookie), nonce: otherPending.nonce });
    const oidc = await getOidcClient(config);
    oidc[client.customFetch] = async (url, options) =>
      url === tokenEndpoint
        ? new Response(otherTokens, { headers: { "content-type": "application/json" } })
        : fetch(url, options as RequestInit);
    try {
      const input = { callbackUrl, cookie: swapped, redirectUri: REDIRECT, meta };
      expect(await completeAuthorization(test.db, config, input)).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^token rejected: .*"aud"/),
      });
    } finally {
      forgetOidcClients();
    }
    const again = await startAuthorization(config, REDIRECT, "/");
    const forgedNonce = writeCookie({ ...readCookie(again.cookie), nonce: "another nonce" });
    const result = await completeAuthorization(test.db, config, {
      callbackUrl: await followToCallback(again.url, REDIRECT),
      cookie: forgedNonce,
      redirectUri: REDIRECT,
      meta,
    });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^token rejected: .*nonce/) });
    expect(await test.db.user.count({ where: { email: "carol@idp.test" } })).toBe(0);
  });

  it("refuses a callback whose state does not match, and a code exchanged by the wrong client", async () => {
    const tampered = await signInAs({ sub: "dave", groups: ["rampart-admins"] }, (url) =>
      url.replace(/state=[^&]+/, "state=forged"),
    );
    expect(tampered).toEqual({ ok: false, reason: "state mismatch" });
    const wrongSecret = { ...config, clientSecret: "not-the-secret" };
    provider.account = { sub: "dave", email: "dave@idp.test", emailVerified: true, groups: ["rampart-admins"] };
    const { url, cookie } = await startAuthorization(wrongSecret, REDIRECT, "/");
    const callbackUrl = await followToCallback(url, REDIRECT);
    const result = await completeAuthorization(test.db, wrongSecret, {
      callbackUrl,
      cookie,
      redirectUri: REDIRECT,
      meta,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^token rejected: the token endpoint answered 401 invalid_client/),
    });
    expect(await test.db.user.count({ where: { email: "dave@idp.test" } })).toBe(0);
  });

  it("links a password account only when the provider says the email is verified", async () => {
    await createUser(
      test.db,
      { email: "erin@idp.test", role: "viewer", password: "a long enough password" },
      { email: "system" },
    );
    expect(await signInAs({ sub: "erin", groups: ["rampart-viewers"], emailVerified: false })).toEqual({
      ok: false,
      reason: "email belongs to another account",
    });
    const linked = await signInAs({ sub: "erin", groups: ["rampart-viewers"] });
    expect(linked.ok).toBe(true);
    expect((await test.db.user.findUniqueOrThrow({ where: { email: "erin@idp.test" } })).oidcSubject).toBe(
      `${provider.issuer}|erin`,
    );
  });
});
