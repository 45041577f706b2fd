import path from "node:path";
import { describe, expect, it } from "vitest";
import { isGuardedEnough, listGuardedFunctions } from "./route-guard";
import { ruleFor, urlOfRouteFile } from "./route-roles";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("every page, route handler and server action checks the caller's role", () => {
  const entries = listGuardedFunctions(ROOT, "app");

  it("finds the routes it guards", () => {
    expect(entries.some((e) => e.kind === "page" && e.file === "app/admin/users/page.tsx")).toBe(true);
    expect(entries.some((e) => e.kind === "action" && e.name === "addToken")).toBe(true);
  });

  it("none lacks a check or checks too low a role", () => {
    const failures = entries
      .filter((entry) => !isGuardedEnough(entry))
      .map(
        (e) =>
          `${e.file} ${e.kind} ${e.name}: checks ${e.checked ?? "nothing"}, needs ${e.required ?? "a rule in lib/auth/route-roles.ts"}`,
      );
    expect(failures).toEqual([]);
  });

  it("public access is limited to sign-in, setup, single sign-on and the health probes", () => {
    const publicFiles = new Set(
      entries.filter((e) => e.required === "public").map((e) => e.file.split("/").slice(0, 3).join("/")),
    );
    for (const file of publicFiles) expect(file).toMatch(/^app\/(sign-in|setup|api\/auth|healthz\/|readyz\/)/);
  });
});

describe("the guard itself", () => {
  it("flags a missing or too-low check in sample files", async () => {
    const { mkdtemp, mkdir, writeFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const root = await mkdtemp(path.join(tmpdir(), "route-guard-"));
    try {
      await mkdir(path.join(root, "app/admin/x"), { recursive: true });
      await mkdir(path.join(root, "app/api/v1/y"), { recursive: true });
      await mkdir(path.join(root, "app/z"), { recursive: true });
      await writeFile(
        path.join(root, "app/admin/x/page.tsx"),
        `export default async function P() { await requireRole("engineer"); return null; }`,
      );
      await writeFile(
        path.join(root, "app/api/v1/y/route.ts"),
        `export async function GET(request: Request) { return Response.json({}); }`,
      );
      await writeFile(
        path.join(root, "app/z/actions.ts"),
        `"use server";\nexport async function ok() { await requireRole("engineer"); }\nexport const bad = async () => { return 1; };`,
      );
      await writeFile(
        path.join(root, "app/z/route.ts"),
        `import { h } from "./h";\nexport const GET = h;\nexport { h as POST };`,
      );
      const found = listGuardedFunctions(root, "app");
      const verdicts = Object.fromEntries(found.map((e) => [`${e.file}#${e.name}`, isGuardedEnough(e)]));
      expect(verdicts).toEqual({
        "app/admin/x/page.tsx#default": false,
        "app/api/v1/y/route.ts#GET": false,
        "app/z/actions.ts#ok": true,
        "app/z/actions.ts#bad": false,
        "app/z/route.ts#GET": false,
        "app/z/route.ts#POST": false,
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("maps files to rules and URLs", () => {
    expect(ruleFor("app/targets/actions.ts", "action")?.role).toBe("admin");
    expect(ruleFor("app/violations/page.tsx", "page")?.role).toBe("viewer");
    expect(ruleFor("app/workloads/[workloadId]/exceptions/actions.ts", "action")?.role).toBe("security");
    expect(urlOfRouteFile("app/(main)/workloads/[workloadId]/page.tsx", () => "x")).toBe("/workloads/x");
    expect(urlOfRouteFile("app/page.tsx", () => "x")).toBe("/");
  });
});
