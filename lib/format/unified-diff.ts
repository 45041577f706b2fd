// A unified diff of two texts by line (Myers' O(ND) algorithm), as `diff -u` prints it, for `rampart fix --diff`.

type Op = { kind: " " | "-" | "+"; line: string };

/** The shortest edit script turning `a` into `b`, as kept, removed and added lines in order. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[max + k - 1] ?? 0) < (v[max + k + 1] ?? 0));
      let x = down ? (v[max + k + 1] ?? 0) : (v[max + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const before = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (before[max + k - 1] ?? 0) < (before[max + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = before[max + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: " ", line: a[x] as string });
    }
    if (d > 0) {
      if (down) ops.push({ kind: "+", line: b[--y] as string });
      else ops.push({ kind: "-", line: a[--x] as string });
    }
  }
  return ops.reverse();
}

function lines(text: string): string[] {
  const split = text.split("\n");
  if (split.at(-1) === "") split.pop();
  return split;
}

const CONTEXT = 3;

/** A line as printed: `kind` as in the diff, `at` its 1-based number in the text it comes from (after for `+`). */
export type ShownLine = (line: string, kind: Op["kind"], at: number) => string;

/**
 * `--- file`, `+++ file` and the hunks; empty when the texts are equal. `shown` rewrites each line for printing
 * (a fix that removes a secret must not print it, nor a kept line beside it).
 */
export function unifiedDiff(before: string, after: string, file: string, shown: ShownLine = (line) => line): string {
  if (before === after) return "";
  const a = lines(before);
  const b = lines(after);
  // Equal head and tail lines are cut off first: a fix touches a few lines of a long file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((line): Op => ({ kind: " ", line })),
    ...editScript(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line): Op => ({ kind: " ", line })),
  ];
  const out = [`--- ${file}`, `+++ ${file}`];
  let i = 0;
  let lineA = 1;
  let lineB = 1;
  while (i < ops.length) {
    if (ops[i]?.kind === " ") {
      i++;
      lineA++;
      lineB++;
      continue;
    }
    // A hunk: up to CONTEXT kept lines before, changes joined while fewer than 2×CONTEXT kept lines part them.
    const lead = Math.min(CONTEXT, i);
    let end = i;
    let kept = 0;
    while (end < ops.length && kept <= 2 * CONTEXT) {
      kept = ops[end]?.kind === " " ? kept + 1 : 0;
      end++;
    }
    end = Math.min(ops.length, end - kept + Math.min(kept, CONTEXT));
    const hunk = ops.slice(i - lead, end);
    const countA = hunk.filter((op) => op.kind !== "+").length;
    const countB = hunk.filter((op) => op.kind !== "-").length;
    const startA = lineA - lead;
    const startB = lineB - lead;
    out.push(`@@ -${countA === 0 ? startA - 1 : startA},${countA} +${countB === 0 ? startB - 1 : startB},${countB} @@`);
    let atA = startA;
    let atB = startB;
    for (const op of hunk) {
      out.push(`${op.kind}${shown(op.line, op.kind, op.kind === "+" ? atB : atA)}`);
      if (op.kind !== "+") atA++;
      if (op.kind !== "-") atB++;
    }
    for (const op of ops.slice(i, end)) {
      if (op.kind !== "+") lineA++;
      if (op.kind !== "-") lineB++;
    }
    i = end;
  }
  return `${out.join("\n")}\n`;
}
