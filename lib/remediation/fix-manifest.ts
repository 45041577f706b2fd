// Writes workloads' combined fixes into their manifest files: YAML through the document API (comments, key
// order, quoting and `---` separators kept), JSON through plain data.
import { isMap, isSeq, parse, parseAllDocuments, parseDocument, type Document, type YAMLMap } from "yaml";
import { KUBERNETES_YAML_OPTIONS } from "@/lib/manifests/kubernetes-yaml";
import { documentSpans } from "@/lib/manifests/parse-documents";
import { applyEdits, patchEdits, type TextEdit } from "./patch-document";
import { applyStrategicMergePatch } from "./strategic-merge";

type JsonObject = Record<string, unknown>;

/** One workload's patch, by where `rampart scan` found it (`file#document`) and what it is called. */
export interface ObjectFix {
  document: number;
  kind: string;
  name: string;
  patch: JsonObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The object itself, or the item of a `*List` (whose items may leave their kind to the list's). */
function matches(value: unknown, fix: ObjectFix, listKind?: string): boolean {
  if (!isObject(value)) return false;
  const kind = value.kind ?? listKind;
  return kind === fix.kind && isObject(value.metadata) && value.metadata.name === fix.name;
}

function listKindOf(value: JsonObject): string | undefined {
  return typeof value.kind === "string" && value.kind.endsWith("List") ? value.kind.slice(0, -4) : undefined;
}

function findYamlObject(doc: Document, fix: ObjectFix): YAMLMap | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const value = root.toJSON() as JsonObject;
  if (matches(value, fix)) return root;
  const items = root.get("items", true);
  if (!isSeq(items)) return undefined;
  const listKind = listKindOf(value);
  return items.items.find((item): item is YAMLMap => isMap(item) && matches(item.toJSON(), fix, listKind));
}

/** The edits of every fix, with each document's offset in `text` (none: the documents were parsed from all of it). */
function editsIn(
  text: string,
  docs: readonly (Document | undefined)[],
  fixes: readonly ObjectFix[],
  offsets: readonly number[],
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const fix of fixes) {
    const doc = docs[fix.document];
    const node = doc && findYamlObject(doc, fix);
    if (!node) return undefined;
    const offset = offsets[fix.document] ?? 0;
    for (const edit of patchEdits(offset === 0 ? text : text.slice(offset), node, fix.patch))
      edits.push({ ...edit, start: edit.start + offset, end: edit.end + offset });
  }
  return edits;
}

/** The edits of every fix: parsing only the documents that hold them when the stream allows, else all. */
function fixEdits(text: string, fixes: readonly ObjectFix[]): TextEdit[] {
  const spans = documentSpans(text);
  if (spans) {
    const docs: (Document | undefined)[] = [];
    const offsets: number[] = [];
    for (const fix of fixes) {
      const span = spans[fix.document];
      if (!span || docs[fix.document]) continue;
      docs[fix.document] = parseDocument(text.slice(span[0], span[1]), KUBERNETES_YAML_OPTIONS);
      offsets[fix.document] = span[0];
    }
    const edits = editsIn(text, docs, fixes, offsets);
    if (edits) return edits;
  }
  const all = parseAllDocuments(text, KUBERNETES_YAML_OPTIONS);
  const edits = Array.isArray(all) ? editsIn(text, all, fixes, []) : undefined;
  if (!edits) throw new Error("an object to fix is no longer where the scan found it");
  return edits;
}

/** The YAML text with every fix applied in place and each created object appended as its own document. */
export function fixYamlText(text: string, fixes: readonly ObjectFix[], created: readonly string[]): string {
  let out = applyEdits(text, fixEdits(text, fixes));
  for (const manifest of created) out += `${out.endsWith("\n") || out === "" ? "" : "\n"}---\n${manifest}`;
  return out;
}

/**
 * The JSON text (one object, a `*List`, or an array of objects) with every fix applied, two-space indented.
 * Created objects join the array or the list's items; a single object becomes a `List` holding both.
 */
export function fixJsonText(text: string, fixes: readonly ObjectFix[], created: readonly string[]): string {
  let root = JSON.parse(text) as unknown;
  for (const fix of fixes) {
    const patchAt = (value: unknown): unknown => {
      if (matches(value, fix)) return applyStrategicMergePatch(value as JsonObject, fix.patch);
      if (!isObject(value) || !Array.isArray(value.items)) return value;
      const listKind = listKindOf(value);
      const items = value.items.map((item) =>
        matches(item, fix, listKind) ? applyStrategicMergePatch(item as JsonObject, fix.patch) : item,
      );
      return { ...value, items };
    };
    root = Array.isArray(root) ? root.map((v, i) => (i === fix.document ? patchAt(v) : v)) : patchAt(root);
  }
  const objects = created.map((manifest) => parse(manifest) as unknown);
  if (objects.length > 0) {
    if (Array.isArray(root)) root = [...root, ...objects];
    else if (isObject(root) && Array.isArray(root.items)) root = { ...root, items: [...root.items, ...objects] };
    else root = { apiVersion: "v1", kind: "List", items: [root, ...objects] };
  }
  return `${JSON.stringify(root, null, 2)}\n`;
}
