import { readFileSync } from "node:fs";

/** Variables that may be given as a file instead (Compose and Docker secrets): `NAME_FILE=/run/secrets/…`. */
export const FILE_VARIABLES = ["DATABASE_URL", "RAMPART_SECRET_KEY", "RAMPART_NEW_SECRET_KEY"] as const;

/**
 * Sets NAME from the file NAME_FILE names (the operator's own path; trailing newline dropped) when NAME itself is
 * unset, so secrets need not sit in the environment of the container's configuration. Returns an error naming the
 * variable and the file, never its contents.
 */
export function loadSecretFiles(env: Record<string, string | undefined> = process.env): string | null {
  for (const name of FILE_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) return `set ${name} or ${name}_FILE, not both`;
    try {
      env[name] = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      return `cannot read ${name}_FILE ${file}: ${(error as NodeJS.ErrnoException).code ?? "error"}`;
    }
  }
  return null;
}
