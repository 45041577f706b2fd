/**
 * Control, bidirectional and invisible format characters, and unpaired surrogates. Collected names may hold
 * any of them: U+202E turns `evil‮gpj.exe` around on screen, U+200B hides a difference between two names.
 */
const INVISIBLE =
  /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF\uFFF9-\uFFFB]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Collected text as it may be shown: every invisible or reordering character written out as `\uXXXX`.
 * `multiline` keeps line feeds and tabs, for code blocks whose lines hold collected names.
 */
export function visibleText(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(INVISIBLE, (char) =>
    options.multiline && (char === "\n" || char === "\t") ? char : escape(char),
  );
}

/** `namespace/name`, or the name alone for cluster-wide and Docker workloads, shown visibly. */
export function visibleName(name: string, namespace?: string | null): string {
  return visibleText(namespace ? `${namespace}/${name}` : name);
}
