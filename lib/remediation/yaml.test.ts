import { describe, expect, it } from "vitest";
import { Document, parse, stringify, visit } from "yaml";
import { toYaml } from "./yaml";

const TRICKY = [
  "",
  " lead",
  "trail ",
  "a: b",
  "a #b",
  "key:",
  "#c",
  "-",
  "-x",
  "- x",
  "?",
  "?x",
  ":x",
  "x:y",
  "10001:10001",
  "1:30",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "true",
  "False",
  "null",
  "~",
  "1.0",
  "1e3",
  "e3",
  "0x1f",
  "0o7",
  "0b1",
  ".5",
  "-1",
  "+1",
  ".inf",
  "-.Inf",
  ".nan",
  "<<",
  "$patch",
  "@x",
  "*x",
  "!x",
  "%x",
  "&x",
  "`x",
  "|x",
  ">x",
  "[x",
  "{x",
  "]",
  '"x',
  "'x",
  "it's",
  'say "hi"',
  "multi\nline",
  "tab\there",
  "bell\u0007",
  "line\u2028sep",
  "bom\ufeff",
  "ünïcode",
  "😀",
  "a b",
  "--user 10001:10001",
  "runtime/default",
  "sha256:" + "ab".repeat(32),
  "ghcr.io/acme/app:1.2@sha256:00",
  "C:\\dir",
];

const SAMPLES: unknown[] = [
  {
    spec: {
      template: { spec: { containers: [{ name: "api", securityContext: { runAsNonRoot: true, runAsUser: 10001 } }] } },
    },
  },
  { spec: { volumes: [{ name: "docker", hostPath: null, emptyDir: {} }], automountServiceAccountToken: false } },
  { a: [[1, 2], [], [{ b: [] }]], c: { d: {} }, e: [null, true, 0, -1.5, 1e21], f: undefined },
  { kind: "NetworkPolicy", spec: { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress", "Egress"] } },
  Object.fromEntries(TRICKY.map((text, i) => [text, [text, { [`k${i}`]: text }]])),
  "scalar",
  42,
  null,
  [],
  {},
];

describe("toYaml", () => {
  it.each(SAMPLES.map((sample, i) => [i, sample]))("sample %i parses back to the same data", (_i, sample) => {
    expect(parse(toYaml(sample))).toEqual(parse(stringify(sample)));
  });

  it("writes the same text as the yaml package for ordinary fixes", () => {
    for (const sample of SAMPLES.slice(0, 4)) expect(toYaml(sample)).toBe(stringify(sample, { lineWidth: 0 }));
  });

  it("keeps every tricky string a string, as a key and as a value", () => {
    for (const text of TRICKY) expect(parse(toYaml({ [text]: [text] }))).toEqual({ [text]: [text] });
  });

  it("writes null as Compose's !reset null when asked, in maps and lists alike", () => {
    const data = { services: { web: { network_mode: null, networks: ["web-net", null] } } };
    const text = toYaml(data, { nullText: "!reset null" });
    const reference = new Document(data);
    visit(reference, { Scalar: (_key, node) => void (node.value === null && (node.tag = "!reset")) });
    expect(text).toBe(reference.toString({ lineWidth: 0 }));
    expect(parse(text, { customTags: [{ tag: "!reset", resolve: () => null }] })).toEqual(data);
  });
});
