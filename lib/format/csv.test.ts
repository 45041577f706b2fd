import { describe, expect, it } from "vitest";
import { csvField } from "./csv";

describe("csvField", () => {
  it("leaves plain values alone and quotes commas and quotes", () => {
    expect(csvField("nginx:1.27")).toBe("nginx:1.27");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("spec.containers[0].image")).toBe("spec.containers[0].image");
  });

  it("prefixes values starting with a formula character", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+SUM(A1)")).toBe("'+SUM(A1)");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@cmd")).toBe("'@cmd");
  });

  it("prefixes values whose first non-blank character is a formula character", () => {
    expect(csvField('  =HYPERLINK("x")')).toBe('"\'  =HYPERLINK(""x"")"');
    expect(csvField("\u00A0@x")).toBe("'\u00A0@x");
  });

  it("prefixes values starting with a tab, carriage return or line feed, then quotes line breaks", () => {
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\n=1+1")).toBe('"\'\n=1+1"');
    expect(csvField("\r\nhello")).toBe('"\'\r\nhello"');
  });
});
