import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Pair,
  type YAMLMap,
} from "yaml";
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

/** Parses YAML (multi-document) or JSON; a document that cannot be read is a problem, the others are kept. */
export function parseDocuments(text: string, format: "yaml" | "json"): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, {
    ...KUBERNETES_YAML_OPTIONS,
    lineCounter,
    prettyErrors: false,
    // yaml's own check compares every key with every other (quadratic): duplicateKeyAt is linear.
    uniqueKeys: false,
  });
  if (format === "json") return parseJson(text, docs, lineCounter);
  const documents: ParsedDocument[] = [];
  const problems: DocumentProblem[] = [];
  docs.forEach((doc, index) => {
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
  });
  return { documents, problems };
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
export function linesOf(doc: Document, lineCounter: LineCounter): ParsedDocument["lines"] {
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
