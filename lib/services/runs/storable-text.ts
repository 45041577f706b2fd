/** NUL and unpaired surrogates: Postgres stores neither in text nor in jsonb (22P05, 22P02, 22021). */
const UNSTORABLE = /[\u0000\uD800-\uDFFF]/;
const UNSTORABLE_ALL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = "\uFFFD";

/** The text with NUL and unpaired surrogates replaced by U+FFFD; paired surrogates (emoji) are kept. */
export function storableText(text: string): string {
  if (!UNSTORABLE.test(text)) return text;
  return text.replace(UNSTORABLE_ALL, REPLACEMENT);
}

// JSON.stringify writes NUL as \u0000 and an unpaired surrogate as \udXXX (a paired one stays as it is).
const ESCAPED_UNSTORABLE = /\\u0000|\\ud[89a-f]/i;

/** False when no string of the value (keys too) can hold NUL or an unpaired surrogate: one native pass, no walk. */
function mayHoldUnstorable(value: object): boolean {
  try {
    return ESCAPED_UNSTORABLE.test(JSON.stringify(value) ?? "");
  } catch {
    return true;
  }
}

/** A copy of a JSON-like value whose strings (keys too) Postgres can store; the same object when nothing changes. */
export function toStorable<T>(value: T): { value: T; changed: boolean } {
  // Walking every string of a poll's batch cost more CPU than stringifying it; almost every batch is clean.
  if (typeof value === "object" && value !== null && !mayHoldUnstorable(value)) return { value, changed: false };
  return walk(value);
}

function walk<T>(value: T): { value: T; changed: boolean } {
  if (typeof value === "string") {
    const text = storableText(value);
    return { value: text as T, changed: text !== value };
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => walk(item));
    if (!items.some((item) => item.changed)) return { value, changed: false };
    return { value: items.map((item) => item.value) as T, changed: true };
  }
  if (typeof value !== "object" || value === null || value instanceof Date) return { value, changed: false };
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const storedKey = storableText(key);
    const stored = walk(item);
    if (storedKey !== key || stored.changed) changed = true;
    return [storedKey, stored.value] as const;
  });
  return changed ? { value: Object.fromEntries(entries) as T, changed } : { value, changed: false };
}
