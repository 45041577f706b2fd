import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { deleteUserSessions, getSessionUser, SESSION_IDLE_MS, SESSION_MAX_AGE_MS } from "@/lib/services/sessions";
import { completeSetup, createSetupLink, isSetupTokenValid } from "@/lib/services/setup";
import { SIGN_IN_ERROR, signInWithPassword } from "@/lib/services/sign-in";
import { createApiToken, getTokenUser, listApiTokens, revokeApiToken } from "@/lib/services/tokens";
import { createUser, deleteUser, LastAdminError, setUserDisabled, setUserRole } from "@/lib/services/users";

const test = setupTestDatabase();
const ADMIN = { email: "root@example.test", ip: "192.0.2.1" };
const PASSWORD = "a long enough password";
const meta = { ip: "192.0.2.7", userAgent: "vitest" };

function tokenOf(link: string | null): string {
  const token = link ? new URL(link).searchParams.get("token") : null;
  if (!token) throw new Error("no setup link");
  return token;
}

async function actions(): Promise<string[]> {
  const rows = await test.db.auditLog.findMany({ orderBy: { at: "asc" } });
  return rows.map((row) => row.action);
}

describe("first run", () => {
  it("the setup link creates one admin, then stops working", async () => {
    const stale = tokenOf(await createSetupLink(test.db, "http://127.0.0.1:3000"));
    const link = await createSetupLink(test.db, "http://127.0.0.1:3000");
    const token = tokenOf(link);
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/setup\?token=setup_/);
    expect(await isSetupTokenValid(test.db, stale)).toBe(false);
    expect(await isSetupTokenValid(test.db, token)).toBe(true);
    const short = await completeSetup(test.db, {
      token,
      email: "root@example.test",
      name: "Root",
      password: "short",
      meta,
    });
    expect(short.ok).toBe(false);
    const done = await completeSetup(test.db, {
      token,
      email: "Root@Example.test",
      name: "Root",
      password: PASSWORD,
      meta,
    });
    expect(done.ok).toBe(true);
    const again = await completeSetup(test.db, {
      token,
      email: "two@example.test",
      name: "",
      password: PASSWORD,
      meta,
    });
    expect(again).toEqual({ ok: false, error: expect.stringContaining("already used") });
    expect(await createSetupLink(test.db)).toBeNull();
    expect(await test.db.user.count()).toBe(1);
    const stored = await test.db.setupToken.findMany();
    expect(JSON.stringify(stored)).not.toContain(token);
  });
});

describe("password sign-in", () => {
  it("gives the same message for an unknown email and a wrong password, and audits both", async () => {
    await createUser(test.db, { email: "eve@example.test", role: "viewer", password: PASSWORD }, ADMIN);
    const unknown = await signInWithPassword(test.db, { email: "nobody@example.test", password: PASSWORD, meta });
    const wrong = await signInWithPassword(test.db, { email: "eve@example.test", password: "not the password", meta });
    expect(unknown).toEqual({ ok: false, error: SIGN_IN_ERROR });
    expect(wrong).toEqual({ ok: false, error: SIGN_IN_ERROR });
    const ok = await signInWithPassword(test.db, { email: " EVE@example.test ", password: PASSWORD, meta });
    expect(ok.ok).toBe(true);
    const failed = await test.db.auditLog.findMany({ where: { action: "sign-in.failed" } });
    expect(failed.map((row) => row.source)).toEqual(["192.0.2.7", "192.0.2.7"]);
    expect(JSON.stringify(failed)).not.toContain(PASSWORD);
  });
});

describe("sessions", () => {
  it("expire, idle out, end everywhere, and follow role changes at once", async () => {
    const { id } = await createUser(
      test.db,
      { email: "sam@example.test", role: "security", password: PASSWORD },
      ADMIN,
    );
    const start = new Date();
    const result = await signInWithPassword(test.db, { email: "sam@example.test", password: PASSWORD, meta }, start);
    if (!result.ok) throw new Error(result.error);
    expect((await getSessionUser(test.db, result.token, start))?.role).toBe("security");
    await setUserRole(test.db, id, "viewer", ADMIN);
    expect((await getSessionUser(test.db, result.token, start))?.role).toBe("viewer");
    expect(await getSessionUser(test.db, `${result.token}x`, start)).toBeNull();
    const idle = new Date(start.getTime() + SESSION_IDLE_MS + 1000);
    expect(await getSessionUser(test.db, result.token, idle)).toBeNull();

    const second = await signInWithPassword(test.db, { email: "sam@example.test", password: PASSWORD, meta }, start);
    const third = await signInWithPassword(test.db, { email: "sam@example.test", password: PASSWORD, meta }, start);
    if (!second.ok || !third.ok) throw new Error("sign-in failed");
    expect(await deleteUserSessions(test.db, id)).toBe(2);
    expect(await getSessionUser(test.db, third.token, start)).toBeNull();

    const fourth = await signInWithPassword(test.db, { email: "sam@example.test", password: PASSWORD, meta }, start);
    if (!fourth.ok) throw new Error("sign-in failed");
    const stored = await test.db.session.findMany({ where: { userId: id } });
    expect(JSON.stringify(stored)).not.toContain(fourth.token);
    expect(await getSessionUser(test.db, fourth.token, new Date(start.getTime() + SESSION_MAX_AGE_MS))).toBeNull();
  });

  it("a disabled user's session stops working, and the user cannot sign in", async () => {
    const { id } = await createUser(
      test.db,
      { email: "dan@example.test", role: "engineer", password: PASSWORD },
      ADMIN,
    );
    const result = await signInWithPassword(test.db, { email: "dan@example.test", password: PASSWORD, meta });
    if (!result.ok) throw new Error(result.error);
    await setUserDisabled(test.db, id, true, ADMIN);
    expect(await getSessionUser(test.db, result.token)).toBeNull();
    const again = await signInWithPassword(test.db, { email: "dan@example.test", password: PASSWORD, meta });
    expect(again.ok).toBe(false);
  });

  it("the last admin cannot be demoted, disabled or deleted", async () => {
    const root = await test.db.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    await expect(setUserRole(test.db, root.id, "viewer", ADMIN)).rejects.toBeInstanceOf(LastAdminError);
    await expect(setUserDisabled(test.db, root.id, true, ADMIN)).rejects.toBeInstanceOf(LastAdminError);
    await expect(deleteUser(test.db, root.id, ADMIN)).rejects.toBeInstanceOf(LastAdminError);
  });
});

describe("API tokens", () => {
  it("are stored hashed, capped by the owner's role, revocable, expiring, and die with their owner", async () => {
    const owner = await createUser(test.db, { email: "ci@example.test", role: "engineer", password: PASSWORD }, ADMIN);
    const now = new Date();
    const created = await createApiToken(
      test.db,
      owner.id,
      { name: "ci", role: "admin", expiresInDays: 30 },
      ADMIN,
      now,
    );
    expect(created.token).toMatch(/^rpt_/);
    const rows = await test.db.apiToken.findMany();
    expect(JSON.stringify(rows)).not.toContain(created.token);

    const user = await getTokenUser(test.db, created.token, { ip: "198.51.100.4" }, now);
    expect(user).toMatchObject({ email: "ci@example.test", role: "engineer", via: "token" });
    const listed = (await listApiTokens(test.db, now)).find((row) => row.id === created.id);
    expect(listed).toMatchObject({ state: "active", lastUsedIp: "198.51.100.4", owner: "ci@example.test" });
    expect(listed?.lastUsedAt).not.toBeNull();

    expect(await getTokenUser(test.db, created.token, {}, new Date(now.getTime() + 31 * 86_400_000))).toBeNull();
    expect(await revokeApiToken(test.db, created.id, ADMIN)).toBe(true);
    expect(await getTokenUser(test.db, created.token, {}, now)).toBeNull();

    const second = await createApiToken(test.db, owner.id, { name: "ci-2", role: "viewer", expiresInDays: 30 }, ADMIN);
    expect((await getTokenUser(test.db, second.token))?.role).toBe("viewer");
    await deleteUser(test.db, owner.id, ADMIN);
    expect(await getTokenUser(test.db, second.token)).toBeNull();
    expect(await actions()).toEqual(expect.arrayContaining(["token.created", "token.revoked", "user.deleted"]));
  });
});

describe("admin changes and their audit rows", () => {
  it("are one transaction: a change whose audit row cannot be written is not applied", async () => {
    await test.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.target LIKE 'unaudited%' OR NEW.actor = 'unaudited@example.test' THEN
          RAISE EXCEPTION 'audit refused';
        END IF;
        RETURN NEW;
      END $$`);
    await test.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditLog" FOR EACH ROW EXECUTE FUNCTION refuse_audit()`,
    );
    try {
      const input = { email: "unaudited@example.test", role: "viewer" as const, password: PASSWORD };
      await expect(createUser(test.db, input, ADMIN)).rejects.toThrow(/audit refused/);
      expect(await test.db.user.count({ where: { email: "unaudited@example.test" } })).toBe(0);
      const owner = await createUser(test.db, { ...input, email: "owner@example.test" }, ADMIN);
      const token = { name: "unaudited-token", role: "viewer" as const, expiresInDays: 1 };
      await expect(createApiToken(test.db, owner.id, token, ADMIN)).rejects.toThrow(/audit refused/);
      expect(await test.db.apiToken.count({ where: { name: "unaudited-token" } })).toBe(0);
      const kept = await createApiToken(test.db, owner.id, { ...token, name: "kept" }, ADMIN);
      await expect(revokeApiToken(test.db, kept.id, { email: "unaudited@example.test" })).rejects.toThrow();
      expect((await test.db.apiToken.findUniqueOrThrow({ where: { id: kept.id } })).revokedAt).toBeNull();
      await expect(setUserRole(test.db, owner.id, "admin", { email: "unaudited@example.test" })).rejects.toThrow();
      expect((await test.db.user.findUniqueOrThrow({ where: { id: owner.id } })).role).toBe("viewer");
      await expect(deleteUser(test.db, owner.id, { email: "unaudited@example.test" })).rejects.toThrow();
      expect(await test.db.user.count({ where: { id: owner.id } })).toBe(1);
    } finally {
      await test.db.$executeRawUnsafe(`DROP TRIGGER refuse_audit ON "AuditLog"`);
      await test.db.$executeRawUnsafe(`DROP FUNCTION refuse_audit()`);
    }
  });
});
