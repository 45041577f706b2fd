import { writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

/** A token the simulator accepts, kept in a file: sending it proves the file was read. */
export const FILE_TOKEN = "token-read-from-a-server-file";

/** Every kind `writeHostileKubeconfigs` writes, in its order. */
export const HOSTILE_KINDS = [
  "exec",
  "gcp",
  "azure",
  "oidc",
  "token-file",
  "tokenFile",
  "certificate-authority",
  "client-key",
  "proxy-url",
] as const;

export interface HostileKubeconfig {
  /** What it tries, for test titles. */
  kind: (typeof HOSTILE_KINDS)[number];
  /** What the refusal must name. */
  refusal: RegExp;
  kubeconfig: string;
  /** Created if the kubeconfig's command ever runs. */
  marker: string;
}

/**
 * One kubeconfig per way an uploaded kubeconfig could run a command or read a server file, all aimed at the
 * simulator at `url`: each would reach it (and today's client-node would run or read) if it were honoured.
 */
export async function writeHostileKubeconfigs(
  dir: string,
  sim: { url: string; ca: string },
): Promise<HostileKubeconfig[]> {
  const secretFile = path.join(dir, "stolen-token");
  const caFile = path.join(dir, "ca.pem");
  await writeFile(secretFile, FILE_TOKEN, { mode: 0o600 });
  await writeFile(caFile, sim.ca);
  const caData = Buffer.from(sim.ca).toString("base64");
  const marker = (kind: string) => path.join(dir, `marker-${kind}`);
  const touch = (kind: string) =>
    `touch ${marker(kind)}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${FILE_TOKEN}"},"token":"${FILE_TOKEN}"}'`;
  const config = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "victim", cluster: { server: sim.url, "certificate-authority-data": caData, ...cluster } }],
      users: [{ name: "attacker", user }],
      contexts: [{ name: "hostile", context: { cluster: "victim", user: "attacker" } }],
      "current-context": "hostile",
    });
  const provider = (name: string, kind: string, extra: Record<string, string> = {}) => ({
    "auth-provider": {
      name,
      config: {
        "cmd-path": "/bin/sh",
        "cmd-args": `-c '${touch(kind).replace(/'/g, "'\\''")}'`,
        "token-key": "{.token}",
        "expiry-key": "{.expiry}",
        ...extra,
      },
    },
  });
  const user = /user "attacker" sets/;
  const list: HostileKubeconfig[] = [
    {
      kind: "exec",
      refusal: /user "attacker" sets exec \(command "\/bin\/sh"\)/,
      kubeconfig: config({
        exec: { apiVersion: "client.authentication.k8s.io/v1", command: "/bin/sh", args: ["-c", touch("exec")] },
      }),
      marker: marker("exec"),
    },
    {
      kind: "gcp",
      refusal: /user "attacker" sets auth-provider/,
      kubeconfig: config(provider("gcp", "gcp")),
      marker: marker("gcp"),
    },
    {
      kind: "azure",
      refusal: /user "attacker" sets auth-provider/,
      kubeconfig: config(provider("azure", "azure", { environment: "AzurePublicCloud" })),
      marker: marker("azure"),
    },
    {
      kind: "oidc",
      refusal: /user "attacker" sets auth-provider/,
      kubeconfig: config(provider("oidc", "oidc", { "client-id": "rampart", "idp-issuer-url": "https://127.0.0.1:9" })),
      marker: marker("oidc"),
    },
    {
      kind: "token-file",
      refusal: new RegExp(`${user.source} token-file`),
      kubeconfig: config({ "token-file": secretFile }),
      marker: marker("token-file"),
    },
    {
      kind: "tokenFile",
      refusal: new RegExp(`${user.source} tokenFile`),
      kubeconfig: config({ tokenFile: secretFile }),
      marker: marker("tokenFile"),
    },
    {
      kind: "certificate-authority",
      refusal: /cluster "victim" sets certificate-authority, which names a file on the Rampart server/,
      kubeconfig: stringify({
        apiVersion: "v1",
        clusters: [{ name: "victim", cluster: { server: sim.url, "certificate-authority": caFile } }],
        users: [{ name: "attacker", user: { token: FILE_TOKEN } }],
        contexts: [{ name: "hostile", context: { cluster: "victim", user: "attacker" } }],
        "current-context": "hostile",
      }),
      marker: marker("certificate-authority"),
    },
    {
      kind: "client-key",
      refusal: new RegExp(`${user.source} client-key, which names a file on the Rampart server`),
      kubeconfig: config({ token: FILE_TOKEN, "client-key": secretFile }),
      marker: marker("client-key"),
    },
    {
      kind: "proxy-url",
      refusal: /cluster "victim" sets proxy-url/,
      kubeconfig: config({ token: FILE_TOKEN }, { "proxy-url": "http://127.0.0.1:9" }),
      marker: marker("proxy-url"),
    },
  ];
  return list;
}
