import path from "node:path";
import {
  isDocument,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node,
} from "yaml";
import { isRecord } from "@/lib/normalize";
import { KUBERNETES_YAML_OPTIONS } from "./kubernetes-yaml";
import { duplicateKeyAt, linesOf } from "./parse-documents";

// Compose files: recognised by name or by their shape (a top-level `services` map of objects). The document API
// is kept so `rampart fix` can edit keys in place, comments and order intact.

const COMPOSE_NAMES = new Set(["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]);
export const MAX_COMPOSE_ALIASES = 100;

export function isComposeFileName(file: string): boolean {
  return COMPOSE_NAMES.has(path.basename(file).toLowerCase());
}

/** A top-level `services` map whose every value is a map (an empty service counts), and no Kubernetes `kind`. */
export function isComposeDocument(value: unknown): value is { services: Record<string, Record<string, unknown>> } {
  if (!isRecord(value) || "kind" in value || !isRecord(value.services)) return false;
  const services = Object.values(value.services);
  return services.length > 0 && services.every((service) => isRecord(service) || service === null);
}

/** The project name: top-level `name`, else the directory's name as Compose derives it. */
export function composeProjectName(value: Record<string, unknown>, file: string): string {
  const explicit = typeof value.name === "string" ? value.name : "";
  const base = explicit || path.basename(path.dirname(path.resolve(file)));
  return base.toLowerCase().replace(/[^a-z0-9_-]/g, "");
}

export interface ComposeDocument {
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/**
 * One Compose file as an editable yaml Document with line positions, parsed as `rampart scan` reads it (`<<` merge
 * keys, `yes`/`on` booleans read as true, duplicate keys are errors). Read its value with `composeValue`, which
 * caps aliases.
 */
export function parseComposeDocument(text: string): ComposeDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, {
    ...KUBERNETES_YAML_OPTIONS,
    uniqueKeys: false,
    prettyErrors: false,
    lineCounter,
  });
  return { document, lineCounter };
}

/** The document's value, or an Error for a broken document or too many aliases (a billion-laughs bomb). */
export function composeValue({ document }: ComposeDocument): unknown {
  if (!isDocument(document) || document.errors.length > 0) return new Error("invalid YAML");
  if (duplicateKeyAt(document) !== undefined) return new Error("duplicate keys");
  try {
    return document.toJS({ maxAliasCount: MAX_COMPOSE_ALIASES });
  } catch {
    return new Error("too many or circular aliases");
  }
}

/** 1-based line of the node at `path` (`["services", "web", "privileged"]`: the key's line), when it exists. */
export function composeLine({ document, lineCounter }: ComposeDocument, at: (string | number)[]): number | undefined {
  return linesOf(document, lineCounter)(at);
}

/**
 * 1-based lines that hold a value of an `environment` entry (anywhere: services, `x-` blocks), for printing a
 * diff without them. Comment lines between entries are not values.
 */
export function environmentLines(text: string): Set<number> {
  const { document, lineCounter } = parseComposeDocument(text);
  const lines = new Set<number>();
  const mark = (from: number, to: number) => {
    const last = lineCounter.linePos(Math.max(from, to - 1)).line;
    for (let line = lineCounter.linePos(from).line; line <= last; line++) lines.add(line);
  };
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== "environment") return;
      const value = pair.value as Node | null;
      if (isSeq(value) || isMap(value)) {
        for (const item of value.items) {
          const start = isPair(item) ? (item.key as Node | null)?.range?.[0] : (item as Node | null)?.range?.[0];
          const end = isPair(item)
            ? ((item.value as Node | null)?.range?.[1] ?? start)
            : (item as Node | null)?.range?.[1];
          if (start !== undefined && end !== undefined) mark(start, end);
        }
      } else if (value?.range) mark(value.range[0], value.range[1]);
    },
  });
  return lines;
}
