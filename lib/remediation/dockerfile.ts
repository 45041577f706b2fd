import type { DockerfileFix } from "@/lib/checks/define-check";
import type { DockerfileContainerFacts } from "@/lib/domain/facts";
import type { Remediation } from "@/lib/domain/result";

/**
 * Dockerfile edits as lines for people: `line 12: USER 10001:10001`, `line 4: remove ARG API_KEY`,
 * `append: …`. A removed instruction is named by its keyword and variable names only: its text may hold a secret.
 */
export function renderDockerfileRemediation(
  facts: DockerfileContainerFacts,
  fix: DockerfileFix,
  summary: string,
): Remediation {
  const dockerfile = fix.edits.map((edit) => {
    const instruction = edit.at === undefined ? undefined : facts.dockerfile.instructions[edit.at];
    if (!instruction) return `append: ${edit.line ?? ""}`;
    if (edit.line !== null) return `line ${instruction.line}: ${edit.line}`;
    return `line ${instruction.line}: remove the ${instruction.keyword} instruction`;
  });
  return { summary, dockerfile };
}
