/**
 * A strict reader of the Prometheus text format for tests: every line must be a HELP, a TYPE or a sample of the
 * family declared just before it; names, label syntax, escapes and values are checked, histograms must be
 * cumulative with +Inf equal to _count, counters end in _total, and no series appears twice.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  type: string;
  help: string;
  samples: ParsedSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|[+-]Inf|NaN)$/;

function fail(line: number, message: string): never {
  throw new Error(`line ${line}: ${message}`);
}

function unescape(raw: string, line: number): string {
  return raw.replace(/\\(.)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === '"') return '"';
    if (c === "n") return "\n";
    return fail(line, `bad escape \\${c}`);
  });
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(,|$)/.exec(rest);
    if (!match) fail(line, `bad labels {${text}}`);
    const [whole, name, raw] = match;
    if (!LABEL_NAME.test(name!) || name!.startsWith("__")) fail(line, `bad label name ${name}`);
    if (name! in labels) fail(line, `label ${name} twice`);
    labels[name!] = unescape(raw!, line);
    rest = rest.slice(whole.length);
    if (match[3] === "," && rest.length === 0) fail(line, "trailing comma");
  }
  return labels;
}

function parseValue(text: string, line: number): number {
  if (!VALUE.test(text)) fail(line, `bad value ${text}`);
  if (text === "NaN") return NaN;
  if (text.endsWith("Inf")) return text.startsWith("-") ? -Infinity : Infinity;
  return Number(text);
}

function familyOf(sampleName: string, family: ParsedFamily | undefined): boolean {
  if (!family) return false;
  if (family.type !== "histogram") return sampleName === family.name;
  return ["_bucket", "_sum", "_count"].some((suffix) => sampleName === `${family.name}${suffix}`);
}

function checkHistogram(family: ParsedFamily): void {
  const series = new Map<string, ParsedSample[]>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(rest);
    series.set(key, [...(series.get(key) ?? []), { ...sample, labels: le === undefined ? rest : { ...rest, le } }]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name.endsWith("_bucket"));
    const count = samples.find((s) => s.name.endsWith("_count"));
    if (!count || !samples.some((s) => s.name.endsWith("_sum")))
      throw new Error(`${family.name}${key}: _sum or _count missing`);
    let previous = -Infinity;
    let previousCount = 0;
    for (const bucket of buckets) {
      const le = parseValue(bucket.labels.le ?? "", 0);
      if (le <= previous) throw new Error(`${family.name}${key}: buckets not ascending`);
      if (bucket.value < previousCount) throw new Error(`${family.name}${key}: buckets not cumulative`);
      previous = le;
      previousCount = bucket.value;
    }
    if (previous !== Infinity) throw new Error(`${family.name}${key}: no +Inf bucket`);
    if (previousCount !== count.value) throw new Error(`${family.name}${key}: +Inf bucket differs from _count`);
  }
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  let current: ParsedFamily | undefined;
  let pendingHelp: { name: string; help: string } | undefined;
  text
    .slice(0, -1)
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const help = /^# HELP (\S+) (.*)$/.exec(raw);
      if (help) {
        if (!NAME.test(help[1]!)) fail(line, `bad metric name ${help[1]}`);
        if (families.has(help[1]!)) fail(line, `family ${help[1]} declared twice`);
        pendingHelp = { name: help[1]!, help: help[2]! };
        return;
      }
      const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(raw);
      if (type) {
        const name = type[1]!;
        if (pendingHelp?.name !== name) fail(line, `TYPE ${name} without its HELP just before`);
        if (type[2] === "counter" && !name.endsWith("_total")) fail(line, `counter ${name} must end in _total`);
        current = { name, type: type[2]!, help: pendingHelp.help, samples: [] };
        families.set(name, current);
        pendingHelp = undefined;
        return;
      }
      if (raw.startsWith("#") || raw.trim() === "") fail(line, `unexpected line ${JSON.stringify(raw)}`);
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(raw);
      if (!sample) fail(line, `not a sample: ${JSON.stringify(raw)}`);
      const [, name, labelText, valueText] = sample;
      if (!familyOf(name!, current)) fail(line, `${name} is not of the family declared before it`);
      const labels = parseLabels(labelText ?? "", line);
      const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
      if (seen.has(key)) fail(line, `series ${key} twice`);
      seen.add(key);
      if (current!.type === "histogram" && name!.endsWith("_bucket") && labels.le === undefined)
        fail(line, "bucket without le");
      current!.samples.push({ name: name!, labels, value: parseValue(valueText!, line) });
    });
  if (pendingHelp) throw new Error(`HELP ${pendingHelp.name} without TYPE`);
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

/** The value of one series, or undefined. */
export function valueOf(
  families: Map<string, ParsedFamily>,
  family: string,
  labels: Record<string, string>,
  sampleName = family,
): number | undefined {
  const want = Object.entries(labels);
  return families
    .get(family)
    ?.samples.find(
      (s) =>
        s.name === sampleName &&
        Object.keys(s.labels).length === want.length &&
        want.every(([k, v]) => s.labels[k] === v),
    )?.value;
}
