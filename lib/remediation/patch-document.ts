// Applies a strategic-merge patch to a YAML map as applyStrategicMergePatch does to plain data, but as edits of
// the source text at the nodes that change: every other line (comments, key order, quoting, flow lists,
// separators) stays byte for byte, so a diff shows only the fix.
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";
import { applyStrategicMergePatch, MERGE_KEYS, withoutNulls } from "./strategic-merge";
import { toYaml } from "./yaml";

type JsonObject = Record<string, unknown>;

/** Replace `text.slice(start, end)` with `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** Nesting of the map it edits: where an inner and an outer map end together, inner lines go first. */
  depth?: number;
}

const PATCH_DIRECTIVE = "$patch";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function plain(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (isMap(node) || isSeq(node)) return node.toJSON();
  return node ?? null;
}

class Editor {
  private readonly made: TextEdit[] = [];
  depth = 0;
  constructor(readonly source: string) {}

  get edits(): readonly TextEdit[] {
    return this.made;
  }

  push(edit: TextEdit): void {
    this.made.push({ ...edit, depth: this.depth });
  }

  lineStart(pos: number): number {
    return this.source.lastIndexOf("\n", pos - 1) + 1;
  }

  /** Just past the end of the line holding `pos` (block collections' ranges already end there). */
  lineEnd(pos: number): number {
    if (pos > 0 && this.source[pos - 1] === "\n") return pos;
    const newline = this.source.indexOf("\n", pos);
    return newline < 0 ? this.source.length : newline + 1;
  }

  indentAt(pos: number): string {
    return " ".repeat(pos - this.lineStart(pos));
  }

  /** Inserted at a line's end: a file without a final newline gets one first. */
  insert(pos: number, text: string): void {
    const glue = pos === this.source.length && !this.source.endsWith("\n") ? "\n" : "";
    this.push({ start: pos, end: pos, text: glue + text });
  }
}

/** `key: value` lines at `indent`, a collection on the lines below its key. */
function pairText(key: string, value: unknown, indent: string): string {
  const keyText = toYaml(key).trimEnd();
  const rendered = toYaml(value).trimEnd();
  if (!rendered.includes("\n") && !isObject(value) && !Array.isArray(value))
    return `${indent}${keyText}: ${rendered}\n`;
  if (rendered === "{}" || rendered === "[]") return `${indent}${keyText}: ${rendered}\n`;
  return `${indent}${keyText}:\n${indented(rendered, `${indent}  `)}`;
}

function indented(rendered: string, indent: string): string {
  return rendered
    .split("\n")
    .map((line) => `${indent}${line}\n`)
    .join("");
}

function itemText(value: unknown, dashIndent: string): string {
  const [first = "", ...rest] = toYaml(value).trimEnd().split("\n");
  return `${dashIndent}- ${first}\n${rest.map((line) => `${dashIndent}  ${line}\n`).join("")}`;
}

function range(node: Node | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** A flow collection (`{}`, `[a, b]`) or an empty value is rewritten whole, as JSON, which is flow YAML. */
function rewriteWhole(editor: Editor, node: Node, value: unknown): void {
  const r = range(node);
  if (r) editor.push({ start: r[0], end: r[1], text: JSON.stringify(value) });
}

function setPair(editor: Editor, pair: Pair, value: unknown): void {
  const keyRange = range(pair.key as Node);
  const valueRange = range(pair.value as Node);
  if (!keyRange) return;
  if ((isMap(pair.value) || isSeq(pair.value)) && pair.value.flow) {
    rewriteWhole(editor, pair.value, value);
    return;
  }
  const inline = !isObject(value) && !Array.isArray(value);
  if (inline || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) {
    const text = toYaml(value).trimEnd();
    if (valueRange && !isMap(pair.value) && !isSeq(pair.value)) {
      editor.push({ start: valueRange[0], end: valueRange[1], text });
      return;
    }
  }
  // Replace the whole pair by its lines: from the key's line start (or the key, after a `- `) to its end.
  const lineStart = editor.lineStart(keyRange[0]);
  const afterDash = editor.source.slice(lineStart, keyRange[0]).trim() !== "";
  const start = afterDash ? keyRange[0] : lineStart;
  const end = editor.lineEnd(valueRange?.[1] ?? keyRange[1]);
  const indent = editor.indentAt(keyRange[0]);
  const text = pairText(String(plain(pair.key)), value, indent);
  editor.push({ start, end, text: afterDash ? text.slice(indent.length) : text });
}

function deletePair(editor: Editor, pair: Pair): void {
  const keyRange = range(pair.key as Node);
  if (!keyRange) return;
  const lineStart = editor.lineStart(keyRange[0]);
  if (editor.source.slice(lineStart, keyRange[0]).trim() !== "") {
    // The first key of a list item carries the `- `: keep the line, empty the value (null is absent to the API).
    setPair(editor, pair, null);
    return;
  }
  const valueRange = range(pair.value as Node);
  editor.push({ start: lineStart, end: editor.lineEnd(valueRange?.[1] ?? keyRange[1]), text: "" });
}

function addPair(editor: Editor, map: YAMLMap, key: string, value: unknown): void {
  const last = map.items.at(-1);
  const first = map.items[0];
  const firstKey = range(first?.key as Node);
  const lastEnd = range(last?.value as Node)?.[1] ?? range(last?.key as Node)?.[1];
  if (!firstKey || lastEnd === undefined) return;
  editor.insert(editor.lineEnd(lastEnd), pairText(key, value, editor.indentAt(firstKey[0])));
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => plain(pair.key) === key);
}

function patchSeq(editor: Editor, seq: YAMLSeq, entries: unknown[], mergeKey: string): void {
  for (const entry of entries) {
    const item = isObject(entry)
      ? seq.items.find((node) => isMap(node) && plain(findPair(node, mergeKey)?.value) === entry[mergeKey])
      : undefined;
    const itemRange = range(item as Node | undefined);
    if (isObject(entry) && entry[PATCH_DIRECTIVE] === "delete") {
      if (itemRange)
        editor.push({ start: editor.lineStart(itemRange[0]), end: editor.lineEnd(itemRange[1]), text: "" });
    } else if (isMap(item) && isObject(entry)) {
      patchMap(editor, item, entry);
    } else {
      const lastRange = range(seq.items.at(-1) as Node | undefined);
      const firstRange = range(seq.items[0] as Node | undefined);
      if (!lastRange || !firstRange) continue;
      const dashIndent = " ".repeat(Math.max(0, editor.indentAt(firstRange[0]).length - 2));
      editor.insert(editor.lineEnd(lastRange[1]), itemText(withoutNulls(entry), dashIndent));
    }
  }
}

function patchMap(editor: Editor, map: YAMLMap, patch: JsonObject): void {
  editor.depth += 1;
  try {
    patchBlockOrFlow(editor, map, patch);
  } finally {
    editor.depth -= 1;
  }
}

function patchBlockOrFlow(editor: Editor, map: YAMLMap, patch: JsonObject): void {
  if (map.flow) {
    const before = map.toJSON() as JsonObject;
    const after = applyStrategicMergePatch(before, patch);
    if (!isDeepStrictEqual(before, after)) rewriteWhole(editor, map, after);
    return;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH_DIRECTIVE) continue;
    const pair = findPair(map, key);
    const existing = pair?.value;
    const mergeKey = MERGE_KEYS[key];
    if (value === null) {
      if (pair) deletePair(editor, pair);
    } else if (isMap(existing) && isObject(value)) {
      patchMap(editor, existing, value);
    } else if (isSeq(existing) && !existing.flow && Array.isArray(value) && mergeKey && existing.items.length > 0) {
      patchSeq(editor, existing, value, mergeKey);
    } else {
      const wanted =
        isSeq(existing) && mergeKey && Array.isArray(value)
          ? (applyStrategicMergePatch({ [key]: existing.toJSON() }, { [key]: value }) as JsonObject)[key]
          : withoutNulls(value);
      if (pair && isDeepStrictEqual(plain(existing), wanted)) continue;
      if (pair) setPair(editor, pair, wanted);
      else addPair(editor, map, key, wanted);
    }
  }
}

/** `[a, "b c"]`: a flow list rewritten with the same plain words a block list would use. */
function flowText(value: unknown): string {
  if (!Array.isArray(value)) return JSON.stringify(value);
  const words = value.map((item) => {
    const text = toYaml(item).trimEnd();
    return typeof item === "string" && !/[,[\]{}\n]/.test(text) ? text : JSON.stringify(item);
  });
  return `[${words.join(", ")}]`;
}

/** Which items of `before` stay, by the longest common subsequence of equal items (lists here are short). */
function keptItems(before: readonly unknown[], after: readonly unknown[]): [number, number][] {
  const n = before.length;
  const m = after.length;
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (table[i] as number[])[j] = isDeepStrictEqual(before[i], after[j])
        ? ((table[i + 1] as number[])[j + 1] as number) + 1
        : Math.max((table[i + 1] as number[])[j] as number, (table[i] as number[])[j + 1] as number);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (isDeepStrictEqual(before[i], after[j])) pairs.push([i++, j++]);
    else if (((table[i + 1] as number[])[j] as number) >= ((table[i] as number[])[j + 1] as number)) i++;
    else j++;
  }
  return pairs;
}

/**
 * Turns a block list into `after` item by item: kept items are not touched, a changed scalar is replaced in
 * place (its dash and comment stay), removed items lose their lines, new items go where they stand in `after`.
 */
function diffSeq(editor: Editor, seq: YAMLSeq, before: readonly unknown[], after: readonly unknown[]): void {
  const firstRange = range(seq.items[0] as Node | undefined);
  if (!firstRange) return;
  const dashIndent = " ".repeat(Math.max(0, editor.indentAt(firstRange[0]).length - 2));
  const anchors: [number, number][] = [...keptItems(before, after), [before.length, after.length]];
  let i = 0;
  let j = 0;
  for (const [keptI, keptJ] of anchors) {
    const removed = Array.from({ length: keptI - i }, (_, k) => i + k);
    const added = after.slice(j, keptJ);
    // Where new items go: after the last item before this gap, else before the first item.
    const previous = range(seq.items[i - 1] as Node | undefined);
    let at = previous ? editor.lineEnd(previous[1]) : editor.lineStart(firstRange[0]);
    removed.forEach((index, k) => {
      const node = seq.items[index] as Node;
      const itemRange = range(node) as [number, number];
      const value = added[k];
      if (k < added.length && isScalar(node) && !isObject(value) && !Array.isArray(value)) {
        editor.push({ start: itemRange[0], end: itemRange[1], text: toYaml(value).trimEnd() });
      } else {
        editor.push({ start: editor.lineStart(itemRange[0]), end: editor.lineEnd(itemRange[1]), text: "" });
        if (k < added.length) editor.insert(editor.lineEnd(itemRange[1]), itemText(value, dashIndent));
      }
      at = editor.lineEnd(itemRange[1]);
    });
    for (const value of added.slice(removed.length)) editor.insert(at, itemText(value, dashIndent));
    i = keptI + 1;
    j = keptJ + 1;
  }
}

/**
 * Turns the map `map`, whose value is `before` (aliases and `<<` merges resolved), into `after`. A key that a
 * merge brought in is overridden by a pair of the map's own (null to unset it), so the anchor stays as it is.
 */
function diffMap(editor: Editor, map: YAMLMap, before: JsonObject, after: JsonObject): void {
  if (map.flow) {
    if (!isDeepStrictEqual(before, after)) rewriteWhole(editor, map, after);
    return;
  }
  editor.depth += 1;
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [was, wanted] = [before[key], after[key]];
    if (isDeepStrictEqual(was, wanted)) continue;
    const pair = findPair(map, key);
    const node = pair?.value;
    if (!pair) addPair(editor, map, key, wanted ?? null);
    else if (wanted === undefined) deletePair(editor, pair);
    else if (isMap(node) && isObject(was) && isObject(wanted)) diffMap(editor, node, was, wanted);
    else if (isSeq(node) && node.flow && Array.isArray(wanted)) {
      const r = range(node);
      if (r) editor.push({ start: r[0], end: r[1], text: flowText(wanted) });
    } else if (isSeq(node) && node.items.length > 0 && Array.isArray(was) && Array.isArray(wanted) && wanted.length > 0)
      diffSeq(editor, node, was, wanted);
    else setPair(editor, pair, wanted);
  }
  editor.depth -= 1;
}

/** The edits that turn the block map `map` of `source`, whose value is `before`, into `after`. */
export function valueEdits(source: string, map: YAMLMap, before: JsonObject, after: JsonObject): TextEdit[] {
  const editor = new Editor(source);
  diffMap(editor, map, before, after);
  return [...editor.edits];
}

/** The edits that merge `patch` into the block map `map` of `source`. */
export function patchEdits(source: string, map: YAMLMap, patch: JsonObject): TextEdit[] {
  const editor = new Editor(source);
  patchMap(editor, map, patch);
  return [...editor.edits];
}

/** Applies non-overlapping edits to `source`; insertions at one place keep the order they were made in. */
export function applyEdits(source: string, edits: readonly TextEdit[]): string {
  const ordered = edits.map((edit, index) => ({ edit, index }));
  ordered.sort((a, b) => a.edit.start - b.edit.start || (b.edit.depth ?? 0) - (a.edit.depth ?? 0) || a.index - b.index);
  let out = "";
  let at = 0;
  for (const { edit } of ordered) {
    out += source.slice(at, edit.start) + edit.text;
    at = Math.max(at, edit.end);
  }
  return out + source.slice(at);
}
