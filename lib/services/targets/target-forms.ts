import { z } from "zod";
import { checkDockerTlsPem } from "@/lib/collectors/docker/tls-pem";
import { readUntrustedKubeconfig } from "@/lib/collectors/kubernetes/untrusted-kubeconfig";
import type { TargetConnection, TargetCredentials, TargetSettings } from "@/lib/collectors/types";
import { getCollector } from "@/lib/collectors/registry";

const optionalText = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .optional();

export const targetNameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, "letters, digits, dot, dash or underscore, up to 63 characters");

export const dockerTargetInputSchema = z
  .object({
    name: targetNameSchema,
    url: z
      .string()
      .trim()
      .regex(/^(unix:\/\/\/\S+|tcp:\/\/[^\s/]+:\d{1,5})$/, "must start with unix:/// or tcp:// (tcp://host:port)"),
    tlsCa: optionalText,
    tlsCert: optionalText,
    tlsKey: optionalText,
    includeStopped: z.literal("true").optional(),
  })
  .superRefine((input, context) => {
    if (!input.url.startsWith("tcp://")) return;
    for (const field of ["tlsCert", "tlsKey"] as const) {
      if (!input[field])
        context.addIssue({ code: "custom", path: [field], message: "tcp:// needs a client certificate and key" });
    }
    const problems = checkDockerTlsPem({ ca: input.tlsCa, cert: input.tlsCert, key: input.tlsKey });
    for (const [key, message] of Object.entries(problems)) {
      const field = { ca: "tlsCa", cert: "tlsCert", key: "tlsKey" }[key as keyof typeof problems];
      context.addIssue({ code: "custom", path: [field], message });
    }
  });

export type DockerTargetInput = z.infer<typeof dockerTargetInputSchema>;

/** The PEM fields of a Docker form as target credentials (stored encrypted). */
export function dockerCredentials(input: DockerTargetInput): TargetCredentials {
  const credentials: TargetCredentials = {};
  if (input.tlsCa) credentials.tlsCa = input.tlsCa;
  if (input.tlsCert) credentials.tlsCert = input.tlsCert;
  if (input.tlsKey) credentials.tlsKey = input.tlsKey;
  return credentials;
}

export const clusterTargetInputSchema = z
  .object({
    name: targetNameSchema,
    mode: z.enum(["kubeconfig", "token"]),
    kubeconfig: optionalText,
    context: optionalText,
    url: optionalText,
    token: optionalText,
    ca: optionalText,
    namespaces: optionalText,
  })
  .superRefine((input, context) => {
    const need = (field: keyof typeof input, message: string) => {
      if (!input[field]) context.addIssue({ code: "custom", path: [field], message });
    };
    if (input.mode === "kubeconfig") return need("kubeconfig", "upload or paste a kubeconfig");
    need("token", "a bearer token is required");
    if (!input.url?.startsWith("https://"))
      context.addIssue({ code: "custom", path: ["url"], message: "the API server URL must start with https://" });
  });

export type ClusterTargetInput = z.infer<typeof clusterTargetInputSchema>;

/** The API server of the kubeconfig's chosen (or current) context, once it holds inline data only. */
export function kubeconfigServer(text: string, context: string | undefined): string {
  return readUntrustedKubeconfig(text, context ? { context } : {}).cluster.server;
}

/** What to store and what the collector needs, from a validated cluster form. */
export function clusterTarget(input: ClusterTargetInput): {
  url: string;
  settings: TargetSettings;
  credentials: TargetCredentials;
} {
  const settings: TargetSettings = {};
  if (input.namespaces)
    settings.namespaces = input.namespaces
      .split(",")
      .map((ns) => ns.trim())
      .filter(Boolean);
  if (input.mode === "kubeconfig") {
    const kubeconfig = input.kubeconfig ?? "";
    if (input.context) settings.context = input.context;
    return { url: kubeconfigServer(kubeconfig, input.context), settings, credentials: { kubeconfig } };
  }
  return {
    url: input.url ?? "",
    settings,
    credentials: { bearerToken: input.token, ...(input.ca ? { tlsCa: input.ca } : {}) },
  };
}

export const TEST_TIMEOUT_MS = 15_000;

/** Reaches the target once: "ok" with what answered, or the collector's exact error. */
export async function testConnection(target: TargetConnection): Promise<{ ok: boolean; message: string }> {
  try {
    const message = await getCollector(target.platform).testConnection(target, AbortSignal.timeout(TEST_TIMEOUT_MS));
    return { ok: true, message };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/** String fields only, without the `$ACTION_…` keys that React adds to action forms. */
export function formFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) fields[key] = value;
  }
  return fields;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export function issuesByField(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) fieldErrors[String(issue.path[0])] ??= issue.message;
  return fieldErrors;
}
