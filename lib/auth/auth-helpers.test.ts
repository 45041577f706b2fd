import { describe, expect, it } from "vitest";
import { hashPassword, passwordSchema, verifyPassword } from "./password";
import { safeNextPath } from "./safe-next";
import { bearerToken } from "./api-token";
import { readCookie } from "./cookies";
import { hasRole, lowerRole, toRole } from "./roles";

describe("passwords", () => {
  it("hash with scrypt and a fresh salt, verify only the same password", async () => {
    const first = await hashPassword("correct horse battery");
    const second = await hashPassword("correct horse battery");
    expect(first).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", first)).toBe(true);
    expect(await verifyPassword("correct horse batterY", first)).toBe(false);
    expect(await verifyPassword("correct horse battery", "plain")).toBe(false);
  });

  it("need at least 12 characters", () => {
    expect(passwordSchema.safeParse("elevenchars").success).toBe(false);
    expect(passwordSchema.safeParse("twelve chars").success).toBe(true);
    expect(passwordSchema.safeParse("x".repeat(257)).success).toBe(false);
  });
});

describe("request helpers", () => {
  it("keep the return path on this site", () => {
    expect(safeNextPath("/violations?severity=high")).toBe("/violations?severity=high");
    for (const bad of ["https://evil.test/", "//evil.test", "/\\evil.test", "javascript:alert(1)", "/a\nb", null]) {
      expect(safeNextPath(bad)).toBe("/");
    }
  });

  it("read bearer tokens and cookies strictly", () => {
    expect(bearerToken("Bearer rpt_abcdefghijkl")).toBe("rpt_abcdefghijkl");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBeNull();
    expect(bearerToken("Bearer ' OR 1=1 --")).toBeNull();
    expect(readCookie("a=1; rampart_session=xyz; b=2", "rampart_session")).toBe("xyz");
    expect(readCookie("xrampart_session=xyz", "rampart_session")).toBeNull();
  });

  it("rank roles", () => {
    expect(hasRole("admin", "security")).toBe(true);
    expect(hasRole("engineer", "security")).toBe(false);
    expect(lowerRole("admin", "viewer")).toBe("viewer");
    expect(toRole("root")).toBe("viewer");
  });
});
