import { describe, expect, it } from "vitest";
import { storableText, toStorable } from "./storable-text";

describe("toStorable", () => {
  it("hands back the same object when every string can be stored, emoji and escaped-looking text included", () => {
    const value = { name: "web 🚀", labels: { "a\\u0000b": "c:\\ud800" }, list: [1, null, "x"], at: new Date(0) };
    const stored = toStorable(value);
    expect(stored.changed).toBe(false);
    expect(stored.value).toBe(value);
  });

  it("replaces NUL and unpaired surrogates in nested values and keys, keeping the rest", () => {
    const value = { outer: { ["k\u0000"]: ["ok", "lone \uD800 high", "lone \uDC00 low", "pair 🚀"] }, n: 3 };
    const stored = toStorable(value);
    expect(stored.changed).toBe(true);
    expect(stored.value).toEqual({
      outer: { "k\uFFFD": ["ok", "lone \uFFFD high", "lone \uFFFD low", "pair 🚀"] },
      n: 3,
    });
    expect(value.outer).toHaveProperty(["k\u0000"]);
  });

  it("cleans a bare string and leaves values JSON cannot write to the walk", () => {
    expect(toStorable("a\u0000")).toEqual({ value: "a\uFFFD", changed: true });
    const big = { n: 1n, text: "b\u0000" };
    expect(toStorable(big).value).toEqual({ n: 1n, text: "b\uFFFD" });
    expect(storableText("plain")).toBe("plain");
  });
});
