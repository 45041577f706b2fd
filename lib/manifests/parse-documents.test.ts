import { describe, expect, it } from "vitest";
import { parseDocuments, splitTopLevelArray } from "./parse-documents";

describe("parseDocuments", () => {
  it("reads booleans and merge keys the way kubectl does", () => {
    const text =
      'base: &b\n  privileged: yes\nspec:\n  <<: *b\n  hostNetwork: off\n  quoted: "yes"\n  word: yesterday\n';
    const [doc] = parseDocuments(text, "yaml").documents;
    expect(doc?.value).toEqual({
      base: { privileged: true },
      spec: { privileged: true, hostNetwork: false, quoted: "yes", word: "yesterday" },
    });
  });

  it("keeps documents apart: an empty one is not counted, a broken one does not hide the next", () => {
    const parsed = parseDocuments("a: 1\n---\n---\nb: [\n---\nc: 3\n", "yaml");
    expect(parsed.documents.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [3, { c: 3 }],
    ]);
    expect(parsed.problems.map((p) => p.index)).toEqual([2]);
  });

  it("gives lines inside JSON and splits a top-level array into documents", () => {
    const parsed = splitTopLevelArray(parseDocuments('[\n  {"a": 1},\n  {\n    "b": [2]\n  }\n]\n', "json"));
    expect(parsed.documents.map((d) => [d.index, d.value, d.lines([]), d.lines(["b", 0])])).toEqual([
      [0, { a: 1 }, 2, undefined],
      [1, { b: [2] }, 3, 4],
    ]);
  });

  it("accepts only strict JSON in a .json file and does not quote the input", () => {
    const secret = "Strict-Json-Secret-3391";
    const parsed = parseDocuments(`{"token": '${secret}'}`, "json");
    expect(parsed.documents).toEqual([]);
    expect(parsed.problems[0]?.message).toMatch(/^invalid JSON: /);
    expect(parsed.problems[0]?.message).not.toContain(secret);
  });
});
