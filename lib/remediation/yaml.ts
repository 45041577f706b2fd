// A YAML emitter for the plain data of fixes (maps, lists, strings, numbers, booleans, null), laid out as the
// `yaml` package lays it out. The generic stringifier builds a node tree per document, which made rendering a
// fix cost over a hundred times more than judging the check; this writes the lines directly.

export interface YamlOptions {
  /** How null is written; Compose snippets write `!reset null`. */
  nullText?: string;
}

const INDENT = "  ";

/** One YAML document (ending in a newline) holding `value`. */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  const nullText = options.nullText ?? "null";
  const inline = inlineText(value, nullText);
  if (inline !== undefined) return `${inline}\n`;
  const lines: string[] = [];
  writeBlock(value as object, "", lines, nullText);
  return `${lines.join("\n")}\n`;
}

/** The one-line form of a scalar or an empty collection; undefined for a collection that needs lines. */
function inlineText(value: unknown, nullText: string): string | undefined {
  if (value === null || value === undefined) return nullText;
  if (typeof value === "string") return scalarString(value);
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  if (typeof value === "object") return hasDefinedValue(value) ? undefined : "{}";
  return scalarString(String(value));
}

function writeBlock(value: object, indent: string, lines: string[], nullText: string): void {
  if (Array.isArray(value)) {
    for (const item of value) writeItem(item, indent, lines, nullText);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (child === undefined) continue;
    const inline = inlineText(child, nullText);
    if (inline !== undefined) {
      lines.push(`${indent}${scalarString(key)}: ${inline}`);
    } else {
      lines.push(`${indent}${scalarString(key)}:`);
      writeBlock(child as object, indent + INDENT, lines, nullText);
    }
  }
}

/** `- value`; a nested collection starts on the dash line and continues under it. */
function writeItem(item: unknown, indent: string, lines: string[], nullText: string): void {
  const inline = inlineText(item, nullText);
  if (inline !== undefined) {
    lines.push(`${indent}- ${inline}`);
    return;
  }
  const start = lines.length;
  writeBlock(item as object, indent + INDENT, lines, nullText);
  lines[start] = `${indent}- ${(lines[start] as string).slice(indent.length + INDENT.length)}`;
}

/** The `yaml` package leaves out undefined values: a map holding only those is empty. */
function hasDefinedValue(value: object): boolean {
  for (const key of Object.keys(value)) if ((value as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return ".nan";
  if (!Number.isFinite(value)) return value > 0 ? ".inf" : "-.inf";
  return String(value);
}

// A plain (unquoted) scalar must not start with an indicator, hold `: ` or ` #`, end in `:` or space, or
// read back as null, a boolean or a number (YAML 1.1 or 1.2). Anything else is double-quoted, which JSON's
// string syntax is a subset of.
const PLAIN = /^[A-Za-z0-9_./$(=+^~\\-][^\0-\x1f\x7f-\x9f\u2028\u2029\ufeff"'`#]*$/;
const NOT_PLAIN = /: | #|[: ]$|^-( |$)|^<<$/;
const OTHER_TYPE =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?|0[xX][0-9a-fA-F_]+|0o[0-7]+|0b[01_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

// Fixes repeat the same keys and values (`securityContext`, `ALL`, image names): remember recent answers.
const written = new Map<string, string>();
const MAX_REMEMBERED = 4096;

function scalarString(text: string): string {
  let out = written.get(text);
  if (out === undefined) {
    out = PLAIN.test(text) && !NOT_PLAIN.test(text) && !OTHER_TYPE.test(text) ? text : JSON.stringify(text);
    if (written.size >= MAX_REMEMBERED) written.clear();
    written.set(text, out);
  }
  return out;
}
