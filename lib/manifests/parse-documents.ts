import { isMap, isScalar, LineCounter, parseAllDocuments, type Document } from "yaml";
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
    uniqueKeys: true,
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

/** Line of the node at a path; for a map entry, the line of its key (`web:`), where a reader looks. */
export function linesOf(doc: Document, lineCounter: LineCounter): ParsedDocument["lines"] {
  return (path) => {
    try {
      const node = path.length === 0 ? doc.contents : (keyNode(doc, path) ?? doc.getIn(path, true));
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    } catch {
      return undefined;
    }
  };
}

function keyNode(doc: Document, path: (string | number)[]): unknown {
  const last = path.at(-1);
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (typeof last !== "string" || !isMap(parent)) return undefined;
  return parent.items.find((pair) => isScalar(pair.key) && pair.key.value === last)?.key;
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
