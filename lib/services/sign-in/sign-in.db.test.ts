import { afterEach, describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { markPeerHookInstalled, PEER_HEADER } from "@/lib/auth/peer-address";
import { requestMetaFrom } from "@/lib/auth/request-meta";
import { parseTrustedProxies } from "@/lib/auth/trusted-proxies";
import { setupTestDatabase } from "@/lib/db/testing";
import { createUser } from "@/lib/services/users";
import {
  MAX_PAIR_FAILURES,
  MAX_SOURCE_FAILURES,
  SIGN_IN_ERROR,
  signInWithPassword,
  SLOW_AFTER_ACCOUNT_FAILURES,
  THROTTLE_WINDOW_MS,
  type SignInDeps,
} from "./index";

const test = setupTestDatabase();
const ADMIN = { email: "root@example.test", ip: "192.0.2.1" };
const PASSWORD = "a long enough password";
const A = { ip: "198.51.100.1" };
const B = { ip: "198.51.100.2" };

/** The real scrypt check, counted, with the hash it was given. */
function countingVerify() {
  const calls: string[] = [];
  const verify: SignInDeps["verify"] = async (password, stored) => {
    calls.push(stored);
    return verifyPassword(password, stored);
  };
  return { calls, verify };
}

async function addUser(email: string, role: "viewer" | "admin" = "viewer") {
  return createUser(test.db, { email, role, password: PASSWORD }, ADMIN);
}

describe("sign-in throttling by source and account", () => {
  it("after five failures from source A, the right password from source B signs in; A is refused until the window passes", async () => {
    await addUser("admin@example.test", "admin");
    const now = new Date();
    for (let i = 0; i < MAX_PAIR_FAILURES; i++) {
      const wrong = { email: "admin@example.test", password: `wrong guess ${i}!`, meta: A };
      expect(await signInWithPassword(test.db, wrong, now)).toEqual({ ok: false, error: SIGN_IN_ERROR });
    }
    const right = { email: "admin@example.test", password: PASSWORD };
    expect(await signInWithPassword(test.db, { ...right, meta: A }, now)).toEqual({ ok: false, error: SIGN_IN_ERROR });
    expect((await signInWithPassword(test.db, { ...right, meta: B }, now)).ok).toBe(true);
    const locked = await test.db.auditLog.findMany({ where: { action: "sign-in.locked" } });
    expect(locked.map((row) => row.source)).toEqual([A.ip]);
    const later = new Date(Date.now() + THROTTLE_WINDOW_MS + 60_000);
    expect((await signInWithPassword(test.db, { ...right, meta: A }, later)).ok).toBe(true);
  });

  it("a success from a source clears that source's earlier failures for the email", async () => {
    await addUser("typo@example.test");
    const meta = { ip: "198.51.100.3" };
    for (let i = 0; i < MAX_PAIR_FAILURES - 1; i++) {
      await signInWithPassword(test.db, { email: "typo@example.test", password: `typo ${i} password`, meta });
    }
    expect((await signInWithPassword(test.db, { email: "typo@example.test", password: PASSWORD, meta })).ok).toBe(true);
    await signInWithPassword(test.db, { email: "typo@example.test", password: "one more typo!!", meta });
    expect((await signInWithPassword(test.db, { email: "typo@example.test", password: PASSWORD, meta })).ok).toBe(true);
  });

  it("unknown email, single sign-on account, throttled source and wrong password each run one scrypt verification", async () => {
    await addUser("known@example.test");
    await test.db.user.create({ data: { email: "sso@example.test", role: "viewer", oidcSubject: "idp|sso" } });
    const meta = { ip: "198.51.100.4" };
    const attempt = async (email: string, password = "not the password") => {
      const spy = countingVerify();
      const result = await signInWithPassword(test.db, { email, password, meta }, new Date(), spy);
      return { result, verifications: spy.calls.length };
    };
    const same = { result: { ok: false, error: SIGN_IN_ERROR }, verifications: 1 };
    expect(await attempt("nobody@example.test")).toEqual(same);
    expect(await attempt("sso@example.test")).toEqual(same);
    for (let i = 0; i < MAX_PAIR_FAILURES; i++) expect(await attempt("known@example.test")).toEqual(same);
    // Throttled for this source: the right password is checked against the decoy, never the user's hash.
    const user = await test.db.user.findUniqueOrThrow({ where: { email: "known@example.test" } });
    const spy = countingVerify();
    const throttled = await signInWithPassword(
      test.db,
      { email: "known@example.test", password: PASSWORD, meta },
      new Date(),
      spy,
    );
    expect(throttled).toEqual({ ok: false, error: SIGN_IN_ERROR });
    expect(spy.calls).toHaveLength(1);
    expect(spy.calls[0]).not.toBe(user.passwordHash);
  });

  it("a source failing across many emails is refused for every email, the right password too, without scrypt", async () => {
    await addUser("victim@example.test");
    const meta = { ip: "198.51.100.5" };
    const fast: SignInDeps = { verify: async () => false };
    for (let i = 0; i < MAX_SOURCE_FAILURES; i++) {
      await signInWithPassword(
        test.db,
        { email: `spray-${i}@example.test`, password: "guess", meta },
        new Date(),
        fast,
      );
    }
    const spy = countingVerify();
    const refused = await signInWithPassword(
      test.db,
      { email: "victim@example.test", password: PASSWORD, meta },
      new Date(),
      spy,
    );
    expect(refused).toEqual({ ok: false, error: SIGN_IN_ERROR });
    expect(spy.calls).toHaveLength(0);
    const elsewhere = { email: "victim@example.test", password: PASSWORD, meta: { ip: "198.51.100.6" } };
    expect((await signInWithPassword(test.db, elsewhere)).ok).toBe(true);
  });

  it("failures against one account from many sources slow its sign-ins but never refuse the right password", async () => {
    await addUser("popular@example.test");
    const fast: SignInDeps = { verify: async () => false };
    for (let i = 0; i <= SLOW_AFTER_ACCOUNT_FAILURES + 2; i++) {
      const meta = { ip: `203.0.113.${i + 1}` };
      await signInWithPassword(test.db, { email: "popular@example.test", password: "guess", meta }, new Date(), fast);
    }
    const waits: number[] = [];
    const result = await signInWithPassword(
      test.db,
      { email: "popular@example.test", password: PASSWORD, meta: { ip: "203.0.113.200" } },
      new Date(),
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result.ok).toBe(true);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
  });
});

describe("client address of a sign-in (X-Forwarded-For)", () => {
  const proxies = parseTrustedProxies("10.0.0.5");
  const metaOf = (peer: string, forwardedFor: string) =>
    requestMetaFrom(new Headers({ [PEER_HEADER]: peer, "x-forwarded-for": forwardedFor }), proxies);
  afterEach(() => markPeerHookInstalled(false));

  it("a forged X-Forwarded-For from a direct client neither moves the throttle bucket nor reaches the audit entry; from a trusted proxy it does", async () => {
    markPeerHookInstalled(true);
    await addUser("forged@example.test");
    const direct = "198.51.100.7";
    for (let i = 0; i < MAX_PAIR_FAILURES; i++) {
      const meta = metaOf(direct, `6.6.6.${i}`);
      await signInWithPassword(test.db, { email: "forged@example.test", password: `wrong ${i} password`, meta });
    }
    const stillBlocked = await signInWithPassword(test.db, {
      email: "forged@example.test",
      password: PASSWORD,
      meta: metaOf(direct, "6.6.6.99"),
    });
    expect(stillBlocked.ok).toBe(false);
    const rows = await test.db.auditLog.findMany({ where: { actor: "forged@example.test" } });
    expect(new Set(rows.map((row) => row.source))).toEqual(new Set([direct]));
    const proxied = metaOf("10.0.0.5", "6.6.6.6, 203.0.113.99");
    expect(proxied.ip).toBe("203.0.113.99");
    const viaProxy = await signInWithPassword(test.db, {
      email: "forged@example.test",
      password: PASSWORD,
      meta: proxied,
    });
    expect(viaProxy.ok).toBe(true);
    const success = await test.db.auditLog.findFirst({
      where: { action: "sign-in.succeeded", actor: "forged@example.test" },
    });
    expect(success?.source).toBe("203.0.113.99");
  });
});
