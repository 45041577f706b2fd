import { stringify } from "yaml";

/** A kubeconfig that reaches the simulator with one bearer token and trusts its CA. */
export function renderKubeconfig(args: {
  url: string;
  ca: string;
  token: string;
  user?: string;
  context?: string;
}): string {
  const context = args.context ?? "rampart-simulator";
  const user = args.user ?? "rampart";
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: { server: args.url, "certificate-authority-data": Buffer.from(args.ca).toString("base64") },
      },
    ],
    users: [{ name: user, user: { token: args.token } }],
    contexts: [{ name: context, context: { cluster: context, user } }],
    "current-context": context,
  });
}
