// Secret detection shared by no-secrets-in-image and secrets-from-secret-store.
// Every function returns the rule that matched, never the value it looked at.

const SINGLE_PART_RULES = [
  "PASSWORD",
  "PASSWD",
  "PASS",
  "PWD",
  "SECRET",
  "TOKEN",
  "APIKEY",
  "CREDENTIAL",
  "CREDENTIALS",
  "AUTH",
  "DSN",
];
const TWO_PART_RULES: [string, string][] = [
  ["API", "KEY"],
  ["ACCESS", "KEY"],
  ["PRIVATE", "KEY"],
];
const NOT_A_SECRET_SUFFIX = /_(FILE|PATH|DIR|NAME)$/i;

/** The rule a variable name matches (`PASSWORD`, `API_KEY`, …), or null. */
export function secretLikeName(name: string): string | null {
  if (NOT_A_SECRET_SUFFIX.test(name)) return null;
  const parts = name
    .toUpperCase()
    .split(/[_.-]+/)
    .filter(Boolean);
  const single = parts.find((part) => SINGLE_PART_RULES.includes(part));
  if (single) return single;
  for (const [first, second] of TWO_PART_RULES) {
    if (parts.some((part, i) => part === first && parts[i + 1] === second)) return `${first}_${second}`;
  }
  return null;
}

const CREDENTIAL_RULES: { rule: string; pattern: RegExp }[] = [
  { rule: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { rule: "github-token", pattern: /\b(?:gh[pos]_[A-Za-z0-9]+|github_pat_[A-Za-z0-9_]+)/ },
  { rule: "slack-token", pattern: /\bxox[abprs]-[A-Za-z0-9-]+/ },
  { rule: "private-key", pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { rule: "jwt", pattern: /\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/ },
];

// `scheme://user:pass@host`; a password that is only a `$(VAR)`/`${VAR}` reference is not a literal.
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:([^\s@/]+)@[^\s/]+/i;
const VARIABLE_REFERENCE = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/** The rule a value matches (`aws-access-key`, `jwt`, …), or null. */
export function credentialLikeValue(value: string): string | null {
  for (const { rule, pattern } of CREDENTIAL_RULES) {
    if (pattern.test(value)) return rule;
  }
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !VARIABLE_REFERENCE.test(url[1] ?? "")) return "url-with-password";
  return null;
}

export interface EnvEntry {
  name: string;
  value: string;
}

/** `NAME=value` as Docker stores environment entries; a bare `NAME` has an empty value. */
export function parseEnvEntry(entry: string): EnvEntry {
  const equals = entry.indexOf("=");
  if (equals < 0) return { name: entry, value: "" };
  return { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
}

export interface SecretFinding {
  name: string;
  /** The name rule (`PASSWORD`) or the value rule (`jwt`) that matched. */
  rule: string;
  matched: "name" | "value";
  index: number;
}

/** Entries with a secret-like name and a non-empty value; with `values`, also credential-looking values. */
export function findSecretsInEnv(entries: EnvEntry[], options: { values: boolean }): SecretFinding[] {
  return entries.flatMap<SecretFinding>(({ name, value }, index) => {
    if (value === "") return [];
    const nameRule = secretLikeName(name);
    if (nameRule) return [{ name, rule: nameRule, matched: "name", index }];
    const valueRule = options.values ? credentialLikeValue(value) : null;
    return valueRule ? [{ name, rule: valueRule, matched: "value", index }] : [];
  });
}

/** Secrets in a container's own env: its entries minus the image's, keeping the container's indexes. */
export function findSecretsInOwnEnv(containerEnv: string[], imageEnv: string[]): SecretFinding[] {
  const inherited = new Set(imageEnv);
  const own = containerEnv.map((entry, index) => ({ entry, index })).filter(({ entry }) => !inherited.has(entry));
  return findSecretsInEnv(
    own.map(({ entry }) => parseEnvEntry(entry)),
    { values: true },
  ).map((f) => ({ ...f, index: own[f.index]?.index ?? f.index }));
}

/** Kubernetes env entries as literal values; entries with valueFrom have no literal. */
export function literalEnv(env: { name: string; value?: string | null; valueFrom?: unknown }[]): EnvEntry[] {
  return env.map((e) => ({ name: e.name, value: e.valueFrom ? "" : (e.value ?? "") }));
}

function unquote(text: string): string {
  return text.replace(/^(["'])(.*)\1$/, "$2");
}

/** Build arguments of a history step: `|2 API_KEY=… VERSION=1 /bin/sh -c …` (optionally after `RUN `). */
function buildArguments(createdBy: string): EnvEntry[] {
  const match = /^(?:RUN\s+)?\|(\d+)\s+(.*)$/s.exec(createdBy.trim());
  if (!match) return [];
  const count = Number(match[1]);
  return (match[2] ?? "")
    .split(/\s+/)
    .slice(0, count)
    .filter((word) => word.includes("="))
    .map(parseEnvEntry);
}

/** `ENV A=1 B=2`, legacy `ENV NAME value`, and `ARG NAME=default`, as BuildKit or `#(nop)` steps. */
function declaredVariables(createdBy: string): EnvEntry[] {
  const match = /(?:^|#\(nop\)\s+)(ENV|ARG)\s+(.*)$/s.exec(createdBy.trim());
  if (!match) return [];
  const body = (match[2] ?? "").trim();
  const pairs = body.match(/[^\s=]+=(?:"[^"]*"|'[^']*'|\S*)/g);
  if (pairs)
    return pairs.map((pair) => parseEnvEntry(pair)).map(({ name, value }) => ({ name, value: unquote(value) }));
  const [name = "", ...rest] = body.split(/\s+/);
  return match[1] === "ENV" ? [{ name, value: unquote(rest.join(" ")) }] : [];
}

/** One-line evidence naming the variable and the rule, never the value. */
export function describeSecret(finding: { name: string; rule: string; matched: "name" | "value" }): string {
  return finding.matched === "name"
    ? `${finding.name} has a literal value and a secret-like name (rule ${finding.rule})`
    : `${finding.name} has a literal value that looks like a credential (rule ${finding.rule})`;
}

export interface HistorySecretFinding {
  name: string;
  rule: string;
  /** Index of the history entry. */
  step: number;
  kind: "build-arg" | "env" | "arg";
}

/** Secret-like names given a value by a build argument, `ENV` or `ARG` default in image history. */
export function findSecretsInHistory(history: { CreatedBy?: string }[]): HistorySecretFinding[] {
  return history.flatMap((entry, step) => {
    const createdBy = entry.CreatedBy ?? "";
    const isArg = /(?:^|#\(nop\)\s+)ARG\s/.test(createdBy.trim());
    const candidates = [
      ...buildArguments(createdBy).map((e) => ({ ...e, kind: "build-arg" as const })),
      ...declaredVariables(createdBy).map((e) => ({ ...e, kind: isArg ? ("arg" as const) : ("env" as const) })),
    ];
    return candidates.flatMap(({ name, value, kind }) => {
      const rule = value === "" ? null : secretLikeName(name);
      return rule ? [{ name, rule, step, kind }] : [];
    });
  });
}
