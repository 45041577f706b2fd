import { LineCounter, parseAllDocuments, type Document } from "yaml";

/** One document of a file, with the 1-based line of any node inside it. */
export interface ParsedDocument {
  index: number;
  value: unknown;
  lines: (path: (string | number)[]) => number | undefined;
}

export interface DocumentProblem {
  index?: number;
  message: string;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  problems: DocumentProblem[];
}

const MAX_ALIAS_COUNT = 100;

/**
 * Parses YAML (multi-document) or JSON. Problems carry positions and yaml's error code only:
 * parser messages can quote the source line, which may hold a secret.
 */
export function parseDocuments(text: string, format: "yaml" | "json"): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const documents: ParsedDocument[] = [];
  const problems: DocumentProblem[] = [];
  const label = format === "json" ? "invalid JSON" : "invalid YAML";
  docs.forEach((doc, index) => {
    const first = doc.errors[0];
    if (first) {
      const { line, col } = lineCounter.linePos(first.pos[0]);
      problems.push({ index, message: `${label}: ${first.code.toLowerCase().replace(/_/g, " ")} at line ${line}, column ${col}` });
      return;
    }
    if (doc.contents === null) return;
    const value = toJs(doc);
    if (value instanceof Error) {
      problems.push({ index, message: `${label}: ${value.message}` });
      return;
    }
    documents.push({ index, value, lines: linesOf(doc, lineCounter) });
  });
  if (format === "json" && documents.length === 1 && problems.length === 0) return strictJson(text, documents);
  return { documents, problems };
}

function toJs(doc: Document): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return new Error("too many or circular aliases");
  }
}

/** JSON that YAML also accepts (comments, single quotes) is still not JSON: JSON.parse decides the value. */
function strictJson(text: string, documents: ParsedDocument[]): ParsedFile {
  try {
    const value: unknown = JSON.parse(text);
    return { documents: documents.map((d) => ({ ...d, value })), problems: [] };
  } catch {
    return { documents: [], problems: [{ index: 0, message: "invalid JSON: not strict JSON (comments, single quotes or trailing commas?)" }] };
  }
}

function linesOf(doc: Document, lineCounter: LineCounter): ParsedDocument["lines"] {
  return (path) => {
    try {
      const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    } catch {
      return undefined;
    }
  };
}

/** A document holding an array (`docker inspect` output, a JSON array of objects) becomes one document per element. */
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
