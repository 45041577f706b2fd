import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./unified-diff";

/** What `diff -u` prints, with its two header lines named like ours. */
function systemDiff(before: string, after: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "rampart-diff-"));
  writeFileSync(path.join(dir, "a"), before);
  writeFileSync(path.join(dir, "b"), after);
  try {
    execFileSync("diff", ["-u", "a", "b"], { cwd: dir });
    return "";
  } catch (error) {
    const out = String((error as { stdout: Buffer }).stdout);
    return out.replace(/^--- a.*\n\+\+\+ b.*\n/, "--- f\n+++ f\n");
  }
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

describe("unifiedDiff", () => {
  const cases: [string, string[], string[]][] = [
    ["one changed line", numbered(20), numbered(20).map((l, i) => (i === 9 ? "changed" : l))],
    ["lines added at the end", numbered(5), [...numbered(5), "new 1", "new 2"]],
    ["lines added at the start", numbered(5), ["new", ...numbered(5)]],
    ["two distant changes", numbered(40), numbered(40).map((l, i) => (i === 3 || i === 30 ? `${l}!` : l))],
    ["two close changes in one hunk", numbered(40), numbered(40).filter((_, i) => i !== 10 && i !== 15)],
    [
      "a block inserted and one removed",
      numbered(12),
      [...numbered(4), "a", "b", ...numbered(12).slice(4, 8), ...numbered(12).slice(9)],
    ],
  ];
  for (const [name, a, b] of cases) {
    it(`matches diff -u: ${name}`, () => {
      const before = `${a.join("\n")}\n`;
      const after = `${b.join("\n")}\n`;
      expect(unifiedDiff(before, after, "f")).toBe(systemDiff(before, after));
    });
  }

  it("is empty for equal texts", () => {
    expect(unifiedDiff("a\n", "a\n", "f")).toBe("");
  });
});
