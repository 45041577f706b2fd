import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/lib/db/testing";
import { createUser } from "@/lib/services/users";
import { run as users } from "./commands/users";
import { runCommand } from "./testing/run-command";

const test = setupTestDatabase();
const previousUrl = process.env.DATABASE_URL;
let kube = "";

beforeAll(async () => {
  process.env.DATABASE_URL = test.url;
  kube = (await test.db.target.create({ data: { name: "kube", platform: "kubernetes", url: "https://k" } })).id;
  const admin = { email: "admin@example.test" };
  await createUser(test.db, { email: "dev@example.test", role: "viewer", password: "a long enough password" }, admin);
});

afterAll(() => {
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
});

const scopeOf = async () =>
  (await test.db.user.findUniqueOrThrow({ where: { email: "dev@example.test" } })).accessScope;

describe("rampart users scope", () => {
  it("sets a scope as the Users page does, lists it, clears it, and audits each change", async () => {
    const set = await runCommand(users, [
      "scope",
      "dev@example.test",
      "--target",
      "kube",
      "--namespace",
      "kube/shop",
      "--team",
      "payments",
    ]);
    expect(set).toMatchObject({ code: 0, stderr: "" });
    expect(set.stdout).toBe("dev@example.test now sees: target kube, namespace kube/shop, team payments\n");
    expect(await scopeOf()).toEqual({
      targets: [kube],
      namespaces: [{ targetId: kube, namespace: "shop" }],
      teams: ["payments"],
    });
    const listed = await runCommand(users, ["list"]);
    expect(listed.stdout).toMatch(
      /dev@example\.test\s+viewer\s+yes\s+target kube, namespace kube\/shop, team payments/,
    );

    const cleared = await runCommand(users, ["scope", "dev@example.test", "--clear"]);
    expect(cleared).toMatchObject({ code: 0, stdout: "dev@example.test now sees: whole fleet\n" });
    expect(await scopeOf()).toBeNull();

    const audit = await test.db.auditLog.findMany({ where: { action: "user.scope-changed" }, orderBy: { at: "asc" } });
    expect(audit.map((row) => [row.target, row.detail, row.actor.startsWith("cli:")])).toEqual([
      ["dev@example.test", { from: "whole fleet", to: "target kube, namespace kube/shop, team payments" }, true],
      ["dev@example.test", { from: "target kube, namespace kube/shop, team payments", to: "whole fleet" }, true],
    ]);
  });

  it("refuses by name what it cannot set, and changes nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["scope", "dev@example.test", "--target", "kub"], /no target is named "kub"/],
      [["scope", "dev@example.test", "--namespace", "shop"], /"shop" is not target\/namespace/],
      [["scope", "nobody@example.test", "--team", "x"], /no user has the email nobody@example\.test/],
      [["scope", "dev@example.test"], /give --clear, or at least one/],
      [["scope", "dev@example.test", "--clear", "--team", "x"], /give --clear, or at least one/],
      [["scope", "dev@example.test", "--team", "a\u0000b"], /scope teams/],
      [["scope"], /scope takes one email/],
      [["rename"], /say list or scope/],
    ];
    for (const [argv, message] of cases) {
      const result = await runCommand(users, argv);
      expect(result.code, argv.join(" ")).toBe(2);
      expect(result.stderr, argv.join(" ")).toMatch(message);
    }
    expect(await scopeOf()).toBeNull();
    expect(await test.db.auditLog.count({ where: { action: "user.scope-changed" } })).toBe(2);
  });
});
