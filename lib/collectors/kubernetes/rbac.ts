import { readFile } from "node:fs/promises";

const CLUSTER_ROLE = new URL("./rbac/clusterrole.yaml", import.meta.url);
const ROLE = new URL("./rbac/role.yaml", import.meta.url);

/** The read-only RBAC manifests Rampart ships, for the "add cluster" flow to show and the user to apply. */
export async function readRbacManifests(): Promise<{ clusterRole: string; role: string }> {
  const [clusterRole, role] = await Promise.all([readFile(CLUSTER_ROLE, "utf8"), readFile(ROLE, "utf8")]);
  return { clusterRole, role };
}
