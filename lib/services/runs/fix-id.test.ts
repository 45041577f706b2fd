import { describe, expect, it } from "vitest";
import { sha256Uuid } from "./container-rows";
import { canonical } from "./finding-transitions";
import { fixId } from "./record-statements";

describe("fixId", () => {
  it("is the hash of the canonical JSON, whether the rendered text was seen before or not", () => {
    const fix = { kind: "patch", ops: [{ op: "add", path: "/a", value: 1 }], title: "Drop privileges" };
    const expected = sha256Uuid(canonical(fix));
    expect(fixId(fix)).toBe(expected);
    expect(fixId(structuredClone(fix))).toBe(expected);
    expect(fixId({ title: "Drop privileges", ops: [{ value: 1, path: "/a", op: "add" }], kind: "patch" })).toBe(
      expected,
    );
  });

  it("tells fixes apart by content and gives none for no fix", () => {
    expect(fixId({ title: "a" })).not.toBe(fixId({ title: "b" }));
    expect(fixId(null)).toBeNull();
    expect(fixId(undefined)).toBeNull();
  });
});
