import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The docker CLI against the private engine global-setup started (and the server follows). */
export function docker(args: string[]) {
  const host = process.env.RAMPART_E2E_DOCKER_HOST;
  if (!host) throw new Error("RAMPART_E2E_DOCKER_HOST is not set by global-setup");
  return run("docker", args, { env: { ...process.env, DOCKER_HOST: host } });
}
