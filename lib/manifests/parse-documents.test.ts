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

  describe("a stream of many documents, read one by one", () => {
    const crd = [
      "# the CRD, long and never judged",
      "apiVersion: apiextensions.k8s.io/v1",
      "kind: CustomResourceDefinition",
      "metadata:",
      "  name: apps.argoproj.io",
      "spec:",
      "  versions:",
      "    - name: v1",
      "      schema: {description: 'x: y'}",
    ];
    const deployment = [
      "apiVersion: apps/v1",
      "kind: Deployment",
      "metadata: {name: web, namespace: shop}",
      "spec:",
      "  template:",
      "    spec:",
      "      containers:",
      "        - name: web",
      "          image: nginx:1.27",
    ];
    const text = ["---", ...crd, "---", ...deployment, "---", "kind: Pod", "apiVersion: v1", "spec: [", ""].join("\n");

    it("reads a document of a kind it judges whole, with the lines of the file and errors where they are", () => {
      const parsed = parseDocuments(text, "yaml");
      const web = parsed.documents.find((d) => d.index === 1);
      expect(web?.value).toMatchObject({
        kind: "Deployment",
        spec: { template: { spec: { containers: [{ name: "web" }] } } },
      });
      // `---` is line 1, the CRD lines 2-10, `---` line 11, the Deployment from line 12.
      expect(web?.lines(["kind"])).toBe(13);
      expect(web?.lines(["spec", "template", "spec", "containers", 0, "image"])).toBe(20);
      expect(parsed.problems).toHaveLength(1);
      expect(parsed.problems[0]).toMatchObject({ index: 2 });
      expect(parsed.problems[0]?.message).toMatch(/ at line 2[45], column \d+$/);
    });

    it("reads a document of a kind it does not judge for its identity only, and finds its lines on demand", () => {
      const crdDoc = parseDocuments(text, "yaml").documents.find((d) => d.index === 0);
      expect(crdDoc?.value).toEqual({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "apps.argoproj.io" },
      });
      expect(crdDoc?.lines(["metadata", "name"])).toBe(6);
      expect(crdDoc?.lines(["spec", "versions", 0, "name"])).toBe(9);
    });

    it("reads whole a document whose top level it cannot split plainly: repeated key, flow map, an alias", () => {
      for (const odd of [
        ["apiVersion: v1", "kind: ConfigMap", "kind: Secret", "metadata: {name: a}"],
        ["{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {a: b}}"],
        ["apiVersion: v1", "kind: ConfigMap", "data: &d {a: b}", "metadata: {name: a, labels: *d}"],
      ]) {
        const parsed = parseDocuments(["---", ...odd, "---", ...deployment, ""].join("\n"), "yaml");
        const whole = parseDocuments(odd.join("\n"), "yaml");
        expect(parsed.documents.filter((d) => d.index === 0).map((d) => d.value)).toEqual(
          whole.documents.map((d) => d.value),
        );
        expect(parsed.problems.map((p) => p.message.replace(/ at line .*/, ""))).toEqual(
          whole.problems.map((p) => p.message.replace(/ at line .*/, "")),
        );
      }
    });
  });
});
