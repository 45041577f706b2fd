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
