import path from "node:path";
import type { DockerfileInstruction, DockerfileStage, ParsedDockerfile } from "@/lib/domain/dockerfile";
import type { DockerfileContainerFacts, InputError, WorkloadInput } from "@/lib/domain/facts";

// A Dockerfile read the way BuildKit reads it: parser directives, line continuations with the escape character,
// comments and blank lines inside a continuation, and heredocs (`RUN <<EOF`). Nothing is ever executed.

const DOCKERFILE_NAME = /^(?:Dockerfile(?:\..+)?|.+\.Dockerfile)$/i;
const NOT_A_DOCKERFILE = /\.dockerignore$/i;

/** `Dockerfile`, `Dockerfile.*`, `*.Dockerfile` (CHECKS.md, "Build and deploy files"). */
export function isDockerfileName(file: string): boolean {
  const name = path.basename(file);
  return DOCKERFILE_NAME.test(name) && !NOT_A_DOCKERFILE.test(name);
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const INSTRUCTION = /^\s*([A-Za-z]+)(?:\s+(.*))?$/s;
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\2/g;
const HEREDOC_KEYWORDS = new Set(["RUN", "COPY", "ADD"]);

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const escape = escapeDirective(lines);
  const continuation = new RegExp(`${escape === "\\" ? "\\\\" : "`"}[ \\t]*$`);
  const instructions: DockerfileInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    const first = lines[i] ?? "";
    if (/^\s*(#|$)/.test(first)) {
      i += 1;
      continue;
    }
    const start = i;
    let joined = "";
    let current = first;
    for (;;) {
      const continues = continuation.test(current);
      joined += continues ? current.replace(continuation, "") : current;
      i += 1;
      if (!continues) break;
      // Comment and blank lines inside a continuation are dropped, as BuildKit does.
      while (i < lines.length && /^\s*(#|$)/.test(lines[i] ?? "")) i += 1;
      if (i >= lines.length) break;
      joined += " ";
      current = lines[i] ?? "";
    }
    const match = INSTRUCTION.exec(joined);
    if (!match) continue;
    const keyword = (match[1] ?? "").toUpperCase();
    const args = (match[2] ?? "").trim();
    const heredocs: DockerfileInstruction["heredocs"] = [];
    if (HEREDOC_KEYWORDS.has(keyword)) i = readHeredocs(args, lines, i, heredocs);
    instructions.push({ keyword, args, line: start + 1, endLine: i, heredocs });
  }
  const { stages, globalArgs } = splitStages(instructions);
  return { instructions, stages, globalArgs, escape };
}

/** `# escape=`` ` among the parser directives, which only stand before anything else. */
function escapeDirective(lines: string[]): "\\" | "`" {
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) return "\\";
    if ((directive[1] ?? "").toLowerCase() === "escape") return directive[2] === "`" ? "`" : "\\";
  }
  return "\\";
}

/** Consumes the bodies of `<<EOF` heredocs after the instruction line; an unterminated one runs to the end. */
function readHeredocs(args: string, lines: string[], from: number, out: DockerfileInstruction["heredocs"]): number {
  let i = from;
  for (const match of args.matchAll(HEREDOC)) {
    const stripTabs = match[1] === "-";
    const name = match[3] ?? "";
    const body: string[] = [];
    while (i < lines.length) {
      const line = stripTabs ? (lines[i] ?? "").replace(/^\t+/, "") : (lines[i] ?? "");
      i += 1;
      if (line === name) break;
      body.push(line);
    }
    out.push({ name, body: body.join("\n") });
  }
  return i;
}

function splitStages(instructions: DockerfileInstruction[]): { stages: DockerfileStage[]; globalArgs: number[] } {
  const globalArgs: number[] = [];
  const defaults = new Map<string, string>();
  const stages: DockerfileStage[] = [];
  instructions.forEach((instruction, index) => {
    if (instruction.keyword === "FROM") {
      stages.push(stageOf(instruction, index, stages, defaults));
      return;
    }
    const stage = stages.at(-1);
    if (stage) stage.body.push(index);
    else if (instruction.keyword === "ARG") {
      globalArgs.push(index);
      for (const { name, value } of parseAssignments(instruction.args)) defaults.set(name, value ?? "");
    }
  });
  return { stages, globalArgs };
}

function stageOf(
  from: DockerfileInstruction,
  fromIndex: number,
  earlier: DockerfileStage[],
  defaults: Map<string, string>,
): DockerfileStage {
  const words = from.args.split(/\s+/).filter((word) => word !== "" && !word.startsWith("--"));
  const image = substituteArgs(words[0] ?? "", defaults);
  const alias = words[1]?.toUpperCase() === "AS" ? words[2]?.toLowerCase() : undefined;
  const base = earlier.findIndex((stage) => stage.alias === image.toLowerCase());
  return {
    index: earlier.length,
    image,
    ...(alias ? { alias } : {}),
    ...(base >= 0 ? { baseStage: base } : {}),
    fromIndex,
    body: [],
  };
}

/** `$NAME`, `${NAME}` and `${NAME:-default}` from the global ARG defaults; unknown ones stay as written. */
export function substituteArgs(text: string, args: Map<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, braced, fallback, bare) => {
      const value = args.get((braced ?? bare) as string);
      if (value !== undefined && value !== "") return value;
      return fallback ?? whole;
    },
  );
}

/**
 * `ARG A=1 B`, `ENV A=1 B="two words"` and the legacy `ENV NAME value with spaces`. A name without `=` has no
 * value (`value` undefined), which for ARG means no default.
 */
export function parseAssignments(args: string, legacy = false): { name: string; value?: string }[] {
  const words = shellWords(args);
  if (legacy && words.length > 0 && !(words[0] ?? "").includes("=")) {
    const [name = "", ...rest] = words;
    return [{ name, value: rest.join(" ") }];
  }
  return words.map((word) => {
    const equals = word.indexOf("=");
    return equals < 0 ? { name: word } : { name: word.slice(0, equals), value: word.slice(equals + 1) };
  });
}

/** Words split on unquoted whitespace, quotes removed, backslash escapes kept literal. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Sources of a COPY/ADD (flags and destination left out), in shell or JSON form. */
export function copySources(args: string): string[] {
  const withoutFlags = args.replace(/^(?:\s*--\S+)*\s*/, "");
  const words = jsonArray(withoutFlags) ?? shellWords(withoutFlags).filter((word) => !word.startsWith("--"));
  return words.slice(0, -1).filter((word) => !word.startsWith("<<"));
}

function jsonArray(args: string): string[] | undefined {
  if (!args.trimStart().startsWith("[")) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The stage whose image is built: the last one. */
export function finalStage(file: ParsedDockerfile): DockerfileStage | undefined {
  return file.stages.at(-1);
}

/** Edits by instruction index (see DockerfileFix): a replaced or removed instruction loses all its lines. */
export function applyDockerfileEdits(
  text: string,
  parsed: ParsedDockerfile,
  edits: readonly { at?: number; line: string | null }[],
): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const replaced = new Map<number, string | null>();
  for (const edit of edits) if (edit.at !== undefined) replaced.set(edit.at, edit.line);
  // From the last instruction up, so earlier line numbers stay valid.
  for (const [at, line] of [...replaced].sort(([a], [b]) => b - a)) {
    const instruction = parsed.instructions[at];
    if (!instruction) continue;
    lines.splice(instruction.line - 1, instruction.endLine - instruction.line + 1, ...(line === null ? [] : [line]));
  }
  const appended = edits.filter((e) => e.at === undefined && e.line !== null).map((e) => e.line as string);
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return [...lines, ...appended, ""].join("\n");
}

/** The instructions written back one per line (heredoc bodies kept): a Dockerfile that parses to the same. */
export function renderDockerfile(parsed: ParsedDockerfile): string {
  const escape = parsed.escape === "`" ? ["# escape=`"] : [];
  const body = parsed.instructions.flatMap((i) => [
    `${i.keyword} ${i.args}`,
    ...i.heredocs.flatMap((h) => [h.body, h.name]),
  ]);
  return [...escape, ...body, ""].join("\n");
}

/** One workload per Dockerfile, one container for its final stage. */
export function dockerfileWorkload(text: string, source: string): { input?: WorkloadInput; errors: InputError[] } {
  const dockerfile = parseDockerfile(text);
  const stage = finalStage(dockerfile);
  if (!stage) return { errors: [{ source, message: "no FROM instruction (not a Dockerfile)" }] };
  const workload = { platform: "dockerfile" as const, kind: "Dockerfile", namespace: "", name: source };
  const fieldLines = Object.fromEntries(dockerfile.instructions.map((i, index) => [`instructions[${index}]`, i.line]));
  const facts: DockerfileContainerFacts = {
    platform: "dockerfile",
    workload,
    name: stage.alias ?? `stage ${stage.index}`,
    image: stage.image,
    source,
    line: dockerfile.instructions[stage.fromIndex]?.line ?? 1,
    fieldLines,
    dockerfile,
    stage: stage.index,
  };
  return { input: { workload, source, line: 1, labels: {}, containers: [facts] }, errors: [] };
}
