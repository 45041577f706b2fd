import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  parseDocument,
  visit,
  type Document,
  type Pair,
  type YAMLMap,
} from "yaml";
import { isWorkloadKind } from "@/lib/normalize/kubernetes";
import { KUBERNETES_YAML_OPTIONS } from "./kubernetes-yaml";

/** One document of a file, with the 1-based line of any node inside it. */
export interface ParsedDocument {
  index: number;
  value: unknown;
  lines: (path: (string | number)[]) => number | undefined;
}

export interface DocumentProblem {
  index: number;
  message: string;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: DocumentProblem[];
}

const MAX_ALIAS_COUNT = 100;

const PARSE_OPTIONS = {
  ...KUBERNETES_YAML_OPTIONS,
  prettyErrors: false,
  // yaml's own check compares every key with every other (quadratic): duplicateKeyAt is linear.
  uniqueKeys: false,
} as const;

const MARKER = /^---(?=[ \t\r\n]|$)/gm;
// Directives and `...` end markers make document boundaries more than `---` lines: parse the whole stream then.
const UNUSUAL = /^(?:%|\.\.\.(?:[ \t\r\n]|$))/m;

/**
 * Where each document of a stream lies, numbered as parseAllDocuments numbers them, from its `---` lines alone
 * (a `---` at a line start ends any scalar in YAML). Undefined when the stream is not that simple.
 */
export function documentSpans(text: string): [number, number][] | undefined {
  if (UNUSUAL.test(text)) return undefined;
  const starts = [...text.matchAll(MARKER)].map((match) => match.index);
  // Text before the first `---` is a document of its own unless it holds only comments and blank lines.
  const head = text.slice(0, starts[0] ?? text.length);
  const headIsDocument = starts.length === 0 || /^[ \t]*[^#\s]/m.test(head);
  const bounds = headIsDocument ? [0, ...starts] : starts;
  return bounds.map((start, i) => [start, bounds[i + 1] ?? text.length]);
}

/** Parses YAML (multi-document) or JSON; a document that cannot be read is a problem, the others are kept. */
export function parseDocuments(text: string, format: "yaml" | "json"): ParsedFile {
  const spans = format === "yaml" ? documentSpans(text) : undefined;
  const byDocument = spans && spans.length > 1 ? parseEachDocument(text, spans) : undefined;
  return byDocument ?? parseStream(text, format);
}

/** The whole stream at once, as yaml reads it. */
function parseStream(text: string, format: "yaml" | "json"): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  if (format === "json") return parseJson(text, docs, lineCounter);
  const documents: ParsedDocument[] = [];
  const problems: DocumentProblem[] = [];
  docs.forEach((doc, index) => readDocument(doc, index, lineCounter, documents, problems));
  return { documents, problems };
}

/** Where an offset lies: yaml's LineCounter, or one shifted for a document parsed apart from its file. */
type Positions = Pick<LineCounter, "linePos">;

/** One parsed document as a value, or as the problem that keeps it from being one. */
function readDocument(
  doc: Document,
  index: number,
  lineCounter: Positions,
  documents: ParsedDocument[],
  problems: DocumentProblem[],
): void {
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    problems.push({
      index,
      message: `invalid YAML: ${safeYamlMessage(first.code, first.message)} at line ${line}, column ${col}`,
    });
    return;
  }
  const duplicate = duplicateKeyAt(doc);
  if (duplicate !== undefined) {
    const { line, col } = lineCounter.linePos(duplicate);
    problems.push({ index, message: `invalid YAML: Map keys must be unique at line ${line}, column ${col}` });
    return;
  }
  const value = toJs(doc);
  if (value instanceof Error) problems.push({ index, message: `invalid YAML: ${value.message}` });
  // Empty documents (`---` twice, Helm output) are no documents at all, as for kubectl.
  else if (value !== null && value !== undefined) documents.push({ index, value, lines: linesOf(doc, lineCounter) });
}

/** A document's own line counter, its lines numbered from `firstLine` of the file (documents start a line). */
function shifted(lineCounter: LineCounter, firstLine: number): Positions {
  return {
    linePos: (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line: line + firstLine - 1, col };
    },
  };
}

/** One document parsed apart from its stream: undefined unless it is exactly one document. */
function parseOne(source: string): { doc: Document; lineCounter: LineCounter } | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, { ...PARSE_OPTIONS, lineCounter });
  const [doc] = Array.isArray(docs) ? docs : [];
  return doc && docs.length === 1 ? { doc, lineCounter } : undefined;
}

/**
 * Document by document, each parsed alone (line numbers as in the file), and a document of a kind Rampart does
 * not read (a CRD, a ConfigMap: most of a 2 MB install manifest) only as far as its identity: apiVersion, kind
 * and metadata, all that is judged of it. Its other fields are not read, so not checked for YAML errors either.
 * Undefined when a document does not parse as exactly one (the whole stream is parsed then).
 */
function parseEachDocument(text: string, spans: readonly [number, number][]): ParsedFile | undefined {
  const documents: ParsedDocument[] = [];
  const problems: DocumentProblem[] = [];
  let line = 1;
  let counted = 0;
  for (const [index, [start, end]] of spans.entries()) {
    for (let at = text.indexOf("\n", counted); at !== -1 && at < start; at = text.indexOf("\n", at + 1)) line++;
    counted = start;
    const source = text.slice(start, end);
    const firstLine = line;
    const identity = identityOf(source);
    if (identity) {
      let lines: ParsedDocument["lines"] | undefined;
      const linesOfWhole = (path: (string | number)[]) => {
        if (!lines) {
          const parsed = parseOne(source);
          lines = parsed ? linesOf(parsed.doc, shifted(parsed.lineCounter, firstLine)) : () => undefined;
        }
        return lines(path);
      };
      documents.push({ index, value: identity, lines: linesOfWhole });
      continue;
    }
    const parsed = parseOne(source);
    if (!parsed) return undefined;
    readDocument(parsed.doc, index, shifted(parsed.lineCounter, firstLine), documents, problems);
  }
  return { documents, problems };
}

const TOP_LEVEL_LINE = /^[^\s#].*$/gm;
const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*):(?:[ \t]|$)/;
const MARKER_LINE = /^---(?:[ \t]+(?:#.*)?)?$/;
const IDENTITY_KEYS = new Set(["apiVersion", "kind", "metadata"]);

/** Whether Rampart reads more of an object of this kind than its identity. */
function isReadKind(kind: string): boolean {
  return kind === "NetworkPolicy" || kind === "ServiceAccount" || kind.endsWith("List") || isWorkloadKind(kind);
}

/**
 * A plain block-map document of a kind Rampart does not read, as `{ apiVersion, kind, metadata }` parsed from
 * those top-level entries alone; undefined for anything else (another shape, a repeated or odd top-level key,
 * a kind that is read, a YAML error in those entries), which is then parsed whole.
 */
function identityOf(source: string): Record<string, unknown> | undefined {
  const entries: { key: string; start: number }[] = [];
  for (const match of source.matchAll(TOP_LEVEL_LINE)) {
    const text = match[0].replace(/\r$/, "");
    if (match.index === 0 && text.startsWith("---")) {
      if (!MARKER_LINE.test(text)) return undefined;
      continue;
    }
    const key = TOP_LEVEL_KEY.exec(text)?.[1];
    if (key === undefined || entries.some((entry) => entry.key === key)) return undefined;
    entries.push({ key, start: match.index });
  }
  if (!entries.some((e) => e.key === "kind") || !entries.some((e) => e.key === "apiVersion")) return undefined;
  const kept = entries
    .map((entry, i) => (IDENTITY_KEYS.has(entry.key) ? source.slice(entry.start, entries[i + 1]?.start) : ""))
    .join("");
  const doc = parseDocument(kept, PARSE_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents) || duplicateKeyAt(doc) !== undefined) return undefined;
  const value = toJs(doc);
  if (value instanceof Error || typeof value !== "object" || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return typeof kind === "string" && kind !== "" && !isReadKind(kind) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Parser messages can quote the source, and the source may hold a secret: keep a message only when it
 * quotes nothing (no `: ` before a fragment, no long text), else name the error by its code.
 */
function safeYamlMessage(code: string, message: string): string {
  const generic = code.toLowerCase().replace(/_/g, " ");
  return message.includes(": ") || message.length > 80 ? generic : message;
}

/** JSON.parse decides what is JSON (YAML would also accept comments); yaml only supplies line numbers. */
function parseJson(text: string, docs: Document[], lineCounter: LineCounter): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { documents: [], problems: [{ index: 0, message: `invalid JSON: ${safeJsonMessage(error, lineCounter)}` }] };
  }
  const [doc] = docs;
  const lines = doc && doc.errors.length === 0 ? linesOf(doc, lineCounter) : () => undefined;
  return { documents: [{ index: 0, value, lines }], problems: [] };
}

/** V8 quotes the input in some messages (`Unexpected token 'x', "{…}" is not valid JSON`): keep only the part before the quote. */
function safeJsonMessage(error: unknown, lineCounter: LineCounter): string {
  const message = error instanceof Error ? error.message : "unreadable";
  const positioned = message.match(/^(.*) in JSON at position (\d+)/);
  if (positioned) {
    const { line, col } = lineCounter.linePos(Number(positioned[2]));
    return `${positioned[1]} at line ${line}, column ${col}`;
  }
  return message.split(', "')[0] ?? "unreadable";
}

function toJs(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return new Error("too many or circular aliases");
  }
}

/** Offset of the first key repeated within one map, as kubectl refuses it. */
export function duplicateKeyAt(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Line of the node at a path; for a map entry, the line of its key (`web:`), where a reader looks. */
export function linesOf(doc: Document, lineCounter: Positions): ParsedDocument["lines"] {
  const keyIndexes = new WeakMap<YAMLMap, Map<unknown, Pair>>();
  // yaml looks map keys up one by one: a 10,000-service Compose file would make every lookup linear.
  const pairOf = (map: YAMLMap, key: string | number): Pair | undefined => {
    let index = keyIndexes.get(map);
    if (!index) {
      index = new Map(map.items.map((pair) => [isScalar(pair.key) ? pair.key.value : pair.key, pair]));
      keyIndexes.set(map, index);
    }
    return index.get(key);
  };
  return (path) => {
    let node: unknown = doc.contents;
    let at: unknown = node;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = pairOf(node, segment);
        at = pair?.key;
        node = pair?.value;
      } else if (isSeq(node) && typeof segment === "number") {
        at = node = node.items[segment];
      } else return undefined;
      if (at === undefined) return undefined;
    }
    const range = (at as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
}

/** A file holding one array (`docker inspect` output, a JSON array of objects) becomes one document per element. */
export function splitTopLevelArray(file: ParsedFile): ParsedFile {
  const [only] = file.documents;
  if (file.documents.length !== 1 || !only || !Array.isArray(only.value) || file.problems.length > 0) return file;
  const documents = only.value.map((value: unknown, index: number) => ({
    index,
    value,
    lines: (path: (string | number)[]) => only.lines([index, ...path]),
  }));
  return { documents, problems: [] };
}
