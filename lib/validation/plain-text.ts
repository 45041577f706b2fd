import { z } from "zod";

/** C0 and C1 controls and DEL; NUL among them is what Postgres refuses and what cut CSV exports short. */
const CONTROLS = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, but a multi-line field (a reason) keeps tab, line feed and carriage return. */
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters such as NUL";

export function hasControlCharacters(text: string, options: { multiline?: boolean } = {}): boolean {
  return (options.multiline ? CONTROLS_BUT_LINES : CONTROLS).test(text);
}

/** A string without control characters: the one refinement for query parameters and form fields. */
export function plainText(options: { multiline?: boolean } = {}) {
  return z.string().refine((text) => !hasControlCharacters(text, options), CONTROL_CHARACTERS_MESSAGE);
}

/** Names of the parameters (each value of repeated ones) that hold control characters. */
export function paramsWithControlCharacters(params: Record<string, string | string[] | undefined>): string[] {
  return Object.entries(params)
    .filter(([key, value]) => hasControlCharacters(key) || [value ?? []].flat().some((v) => hasControlCharacters(v)))
    .map(([key]) => key);
}

/**
 * For text that names collected objects (an exception's workload or container): those names may hold any
 * control character Postgres stores, so only NUL, which it cannot, is refused.
 */
export function nulFreeText() {
  return z.string().refine((text) => !text.includes("\u0000"), CONTROL_CHARACTERS_MESSAGE);
}
