import { describe, expect, it } from "vitest";
import { visibleName, visibleText } from "./visible-text";

describe("visibleText", () => {
  it("leaves ordinary names, accents and emoji alone", () => {
    for (const name of ["api", "ledger-db-0", "café", "naïve/名前", "ship 🚢 it", "a\uFFFDb"])
      expect(visibleText(name)).toBe(name);
  });

  it("writes bidi overrides, isolates and marks out", () => {
    expect(visibleText("evil\u202Egpj.exe")).toBe("evil\\u202Egpj.exe");
    expect(visibleText("\u2066a\u2069\u200E\u200F\u061C")).toBe("\\u2066a\\u2069\\u200E\\u200F\\u061C");
  });

  it("writes C0 and C1 controls, DEL and zero-width characters out", () => {
    expect(visibleText("a\u0000b\tc\nd\re\u001Bf")).toBe("a\\u0000b\\u0009c\\u000Ad\\u000De\\u001Bf");
    expect(visibleText("\u007F\u0085\u009F")).toBe("\\u007F\\u0085\\u009F");
    expect(visibleText("ap\u200Bi\uFEFF")).toBe("ap\\u200Bi\\uFEFF");
  });

  it("writes unpaired surrogates out but keeps pairs", () => {
    expect(visibleText("x\uD800y\uDC00z")).toBe("x\\uD800y\\uDC00z");
    expect(visibleText("\uD83D\uDEA2")).toBe("🚢");
  });

  it("keeps line feeds and tabs of multi-line code, but not what hides in a line", () => {
    expect(visibleText("kubectl patch deployment evil\u202Egpj \\\n\t-n shop\r", { multiline: true })).toBe(
      "kubectl patch deployment evil\\u202Egpj \\\n\t-n shop\\u000D",
    );
  });

  it("joins namespace and name before writing them out", () => {
    expect(visibleName("web\u202E", "shop")).toBe("shop/web\\u202E");
    expect(visibleName("web", null)).toBe("web");
  });
});
