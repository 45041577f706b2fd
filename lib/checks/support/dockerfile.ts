import type { DockerfileContainerFacts } from "@/lib/domain/facts";
import type { DockerfileInstruction } from "@/lib/domain/dockerfile";
import { credentialLikeValue, secretLikeName } from "@/lib/checks/secrets";
import { copySources, parseAssignments, shellWords } from "@/lib/manifests/dockerfile";

/** Where a Dockerfile result points: the instruction, whose line SARIF reads from the facts' fieldLines. */
export const instructionPath = (index: number) => `instructions[${index}]`;

export function instructionAt(facts: DockerfileContainerFacts, index: number): DockerfileInstruction | undefined {
  return facts.dockerfile.instructions[index];
}

/** The last USER of the judged stage, else of the earlier stage it builds on; undefined when none is set. */
export function effectiveUser(facts: DockerfileContainerFacts): { index: number; user: string } | undefined {
  let stage = facts.dockerfile.stages[facts.stage];
  while (stage) {
    const index = stage.body.findLast((i) => instructionAt(facts, i)?.keyword === "USER");
    if (index !== undefined) return { index, user: (instructionAt(facts, index)?.args ?? "").trim() };
    stage = stage.baseStage === undefined ? undefined : facts.dockerfile.stages[stage.baseStage];
  }
  return undefined;
}

/** FROM lines that pull an image: not `scratch`, not an earlier stage. */
export function externalFroms(facts: DockerfileContainerFacts): { index: number; image: string }[] {
  return facts.dockerfile.stages
    .filter((stage) => stage.baseStage === undefined && stage.image.toLowerCase() !== "scratch")
    .map((stage) => ({ index: stage.fromIndex, image: stage.image }));
}

/** The FROM line with its image replaced, flags and `AS name` kept. */
export function replaceFromImage(facts: DockerfileContainerFacts, index: number, image: string): string {
  const words = (instructionAt(facts, index)?.args ?? "").split(/\s+/).filter(Boolean);
  const at = words.findIndex((word) => !word.startsWith("--"));
  return `FROM ${words.map((word, i) => (i === at ? image : word)).join(" ")}`;
}

export interface DockerfileSecret {
  index: number;
  /** Variable name, or the copied file's name: never a value. */
  name: string;
  rule: string;
  kind: "ARG" | "ENV" | "COPY" | "ADD";
}

const CREDENTIAL_FILE = /^(?:\.env|id_rsa|id_ed25519|.+\.pem|.+\.key|\.npmrc|\.netrc|credentials.*\.json)$/i;

function baseName(file: string): string {
  return file.replace(/\/+$/, "").split("/").at(-1) ?? "";
}

/** ARG/ENV defaults with a secret-like name or a credential-looking value, and copies of credential files. */
export function findDockerfileSecrets(facts: DockerfileContainerFacts): DockerfileSecret[] {
  return facts.dockerfile.instructions.flatMap((instruction, index): DockerfileSecret[] => {
    const kind = instruction.keyword;
    if (kind === "ARG" || kind === "ENV") return secretAssignments(instruction, index, kind);
    if (kind !== "COPY" && kind !== "ADD") return [];
    const words = shellWords(instruction.args).filter((word) => !word.startsWith("--"));
    // `COPY <<EOF /app/.env` writes a file whose content sits in the Dockerfile.
    const files = instruction.heredocs.length > 0 ? words.slice(-1) : copySources(instruction.args);
    return files
      .map(baseName)
      .filter((file) => CREDENTIAL_FILE.test(file))
      .map((file) => ({ index, name: file, rule: "credential-file", kind }));
  });
}

function secretAssignments(instruction: DockerfileInstruction, index: number, kind: "ARG" | "ENV"): DockerfileSecret[] {
  return parseAssignments(instruction.args, kind === "ENV").flatMap(({ name, value }) => {
    if (!value) return [];
    const rule = secretLikeName(name) ?? credentialLikeValue(value);
    return rule ? [{ index, name, rule, kind }] : [];
  });
}

/** The instruction without its secret assignments, or null when nothing else is left in it. */
export function withoutSecrets(instruction: DockerfileInstruction, names: Set<string>): string | null {
  const kept = parseAssignments(instruction.args, instruction.keyword === "ENV").filter((a) => !names.has(a.name));
  if (kept.length === 0) return null;
  const quote = (value: string) => (/^[A-Za-z0-9_./:@-]*$/.test(value) ? value : JSON.stringify(value));
  return `${instruction.keyword} ${kept.map((a) => (a.value === undefined ? a.name : `${a.name}=${quote(a.value)}`)).join(" ")}`;
}
