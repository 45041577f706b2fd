import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLE_RANK } from "@/lib/auth/roles";
import { listSourceFiles } from "@/lib/auth/route-guard";
import { ruleFor, urlOfRouteFile } from "@/lib/auth/route-roles";
import { actionFloor, isCrossSite, refusePost } from "./post-guard";

const form = (extra: Record<string, string> = {}) =>
  new Headers({ host: "rampart.local:3000", "content-type": "multipart/form-data; boundary=x", ...extra });

describe("refusePost", () => {
  it("lets a same-site action post of a high enough role, and every GET, through", () => {
    const headers = form({ origin: "http://rampart.local:3000" });
    expect(refusePost({ method: "POST", pathname: "/violations", headers, role: "security" })).toBeNull();
    expect(refusePost({ method: "GET", pathname: "/admin/users", headers, role: "viewer" })).toBeNull();
  });

  it("answers 403 to an action post from another site, with or without a session", () => {
    for (const origin of ["http://evil.example", "null", "not a url"]) {
      const headers = form({ origin });
      expect(refusePost({ method: "POST", pathname: "/exceptions", headers, role: "admin" })?.status).toBe(403);
    }
    expect(isCrossSite(form({ origin: "https://rampart.example", "x-forwarded-host": "rampart.example" }))).toBe(false);
  });

  it("answers 403 to an action post below the page's action role", () => {
    const headers = form({ "next-action": "abc", "content-type": "text/plain" });
    expect(refusePost({ method: "POST", pathname: "/violations", headers, role: "engineer" })).toEqual({
      status: 403,
      message: "This action requires the security role.",
    });
    expect(refusePost({ method: "POST", pathname: "/targets/1234", headers, role: "security" })?.status).toBe(403);
    expect(refusePost({ method: "POST", pathname: "/sign-in", headers, role: null })).toBeNull();
  });

  it("answers 413 to a body over 1 MB, on pages and API routes", () => {
    const headers = form({ "content-length": String(3 * 1024 * 1024) });
    expect(refusePost({ method: "POST", pathname: "/admin/users", headers, role: "admin" })?.status).toBe(413);
    expect(refusePost({ method: "POST", pathname: "/api/v1/targets", headers, role: null })?.status).toBe(413);
    const small = form({ "content-length": "1048576" });
    expect(refusePost({ method: "POST", pathname: "/admin/users", headers: small, role: "admin" })).toBeNull();
  });

  it("lets scanner reports up to 32 MB through to POST /api/v1/reports, and no further", () => {
    const json = (length: number) =>
      new Headers({ "content-type": "application/json", "content-length": String(length) });
    expect(
      refusePost({ method: "POST", pathname: "/api/v1/reports", headers: json(20 * 1024 * 1024), role: null }),
    ).toBeNull();
    expect(
      refusePost({ method: "POST", pathname: "/api/v1/reports", headers: json(33 * 1024 * 1024), role: null }),
    ).toEqual({
      status: 413,
      message: "Request bodies are limited to 32 MB.",
    });
    expect(
      refusePost({ method: "POST", pathname: "/api/v1/targets", headers: json(20 * 1024 * 1024), role: null })?.status,
    ).toBe(413);
  });

  it("reads the action role floors from route-roles", () => {
    expect(actionFloor("/")).toBe("engineer");
    expect(actionFloor("/admin/tokens")).toBe("admin");
    expect(actionFloor("/exceptions")).toBe("security");
    expect(actionFloor("/setup")).toBe("public");
  });
});

describe("action floors and the pages that post actions", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");

  it("no page offers an action needing less than its address's floor", () => {
    const pages = listSourceFiles(ROOT, "app").filter((file) => file.endsWith("/page.tsx"));
    const checked: string[] = [];
    for (const page of pages) {
      const source = readFileSync(path.join(ROOT, page), "utf8");
      for (const [, spec] of source.matchAll(/from "([^"]*actions)"/g)) {
        const actions = spec!.startsWith("@/")
          ? `${spec!.slice(2)}.ts`
          : path.posix.join(path.posix.dirname(page), `${spec}.ts`);
        const required = ruleFor(actions, "action")?.role ?? "engineer";
        const floor = actionFloor(urlOfRouteFile(page, () => "some-id"));
        checked.push(`${page} -> ${actions}`);
        if (floor === "public") continue;
        expect(required === "public" || ROLE_RANK[required] >= ROLE_RANK[floor], `${page} posts ${actions}`).toBe(true);
      }
    }
    expect(checked).toContain("app/page.tsx -> app/targets/actions.ts");
    expect(checked.length).toBeGreaterThan(5);
  });
});
