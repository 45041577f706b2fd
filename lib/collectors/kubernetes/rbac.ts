import { readFile } from "node:fs/promises";
import path from "node:path";

// Read from the project folder, where every rampart process runs: `new URL(…, import.meta.url)` stops
// pointing at the files once Next has bundled this module.
const RBAC_DIR = path.join(process.cwd(), "lib", "collectors", "kubernetes", "rbac");

/** The read-only RBAC manifests Rampart ships, for the "add cluster" flow to show and the user to apply. */
export async function readRbacManifests(): Promise<{ clusterRole: string; role: string }> {
  const [clusterRole, role] = await Promise.all([
    readFile(path.join(RBAC_DIR, "clusterrole.yaml"), "utf8"),
    readFile(path.join(RBAC_DIR, "role.yaml"), "utf8"),
  ]);
  return { clusterRole, role };
}
