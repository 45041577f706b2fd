import { vi } from "vitest";

export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command's `run(argv)` in-process and captures what it writes. */
export async function runCommand(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<CommandOutput> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await run(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
