import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { exceptionApplies } from "@/lib/evaluate/exceptions";
import { createException, extendException, listActiveExceptionRules, revokeException } from ".";

const test = setupTestDatabase();
const NOW = new Date("2026-03-01T00:00:00Z");
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000);

const base = {
  checkId: "run-as-non-root",
  reason: "legacy image, rebuild planned",
  owner: "team-a",
  createdBy: "alice",
};

describe("exceptions", () => {
  it("list only unrevoked, unexpired rules, in the evaluator's shape", async () => {
    const kept = await createException(test.db, { ...base, namespace: "payments", expiresAt: days(30) }, NOW);
    const revoked = await createException(test.db, { ...base, expiresAt: days(30) }, NOW);
    const short = await createException(test.db, { ...base, expiresAt: days(1) }, NOW);
    await revokeException(test.db, { exceptionId: revoked.id, revokedBy: "reviewer@rampart.test" }, NOW);
    const rules = await listActiveExceptionRules(test.db, days(2));
    expect(rules.map((r) => r.id)).toEqual([kept.id]);
    const scope = {
      checkId: base.checkId,
      namespace: "payments",
      workloadKind: "Deployment",
      workload: "api",
      container: "main",
      image: "x:1",
    };
    expect(rules[0] && exceptionApplies(rules[0], scope, days(2))).toBe(true);
    expect(rules[0] && exceptionApplies(rules[0], { ...scope, namespace: "other" }, days(2))).toBe(false);
    await extendException(test.db, { exceptionId: short.id, expiresAt: days(10) }, NOW);
    expect((await listActiveExceptionRules(test.db, days(2))).map((r) => r.id).sort()).toEqual(
      [kept.id, short.id].sort(),
    );
  });

  it("refuse an expiry in the past and extending a revoked exception", async () => {
    await expect(createException(test.db, { ...base, expiresAt: days(-1) }, NOW)).rejects.toThrow(/future/);
    const revoked = await createException(test.db, { ...base, expiresAt: days(5) }, NOW);
    await revokeException(test.db, { exceptionId: revoked.id, revokedBy: "reviewer@rampart.test" }, NOW);
    const later = await createException(test.db, { ...base, expiresAt: days(20) }, NOW);
    await expect(extendException(test.db, { exceptionId: later.id, expiresAt: days(19) }, NOW)).rejects.toThrow(
      /later date/,
    );
    await expect(extendException(test.db, { exceptionId: later.id, expiresAt: days(20) }, NOW)).rejects.toThrow(
      /later date/,
    );
    expect((await test.db.exception.findUniqueOrThrow({ where: { id: later.id } })).expiresAt).toEqual(days(20));
    await expect(extendException(test.db, { exceptionId: revoked.id, expiresAt: days(9) }, NOW)).rejects.toThrow(
      /revoked/,
    );
  });
});
