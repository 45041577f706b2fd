import { describe, expect, it } from "vitest";
import { hasControlCharacters, paramsWithControlCharacters, plainText } from "./plain-text";

describe("plainText", () => {
  it("accepts ordinary text, accents and emoji", () => {
    expect(plainText().safeParse("shop/web café 🚢").success).toBe(true);
  });

  it("refuses NUL, escape, DEL and C1 controls with a message", () => {
    for (const text of ["a\u0000b", "\u001B[31m", "x\u007F", "\u0085"]) {
      const result = plainText().safeParse(text);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/control characters/);
    }
  });

  it("lets a multi-line field keep line breaks and tabs, but not NUL", () => {
    expect(plainText({ multiline: true }).safeParse("line one\r\nline\ttwo").success).toBe(true);
    expect(plainText({ multiline: true }).safeParse("line\u0000").success).toBe(false);
    expect(hasControlCharacters("a\nb")).toBe(true);
  });

  it("names the query parameters that hold control characters", () => {
    expect(paramsWithControlCharacters({ workload: "we\u0000b", image: "nginx", label: ["a", "b\u0001"] })).toEqual([
      "workload",
      "label",
    ]);
    expect(paramsWithControlCharacters({ "x\u0000": "1", page: undefined })).toEqual(["x\u0000"]);
  });
});
