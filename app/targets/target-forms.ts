import { parse } from "yaml";
import { z } from "zod";
import type { TargetConnection, TargetCredentials, TargetSettings } from "@/lib/collectors/types";
import { getCollector } from "@/lib/collectors/registry";

const optionalPath = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.string().startsWith("/", "must be an absolute path on the Rampart host").optional());

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
    tlsCaFile: optionalPath,
    tlsCertFile: optionalPath,
    tlsKeyFile: optionalPath,
    includeStopped: z.literal("true").optional(),
  })
  .superRefine((input, context) => {
    if (!input.url.startsWith("tcp://")) return;
    for (const field of ["tlsCertFile", "tlsKeyFile"] as const) {
      if (!input[field])
        context.addIssue({ code: "custom", path: [field], message: "tcp:// needs a client certificate and key" });
    }
  });

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

interface KubeconfigShape {
  "current-context"?: string;
  contexts?: { name?: string; context?: { cluster?: string } }[];
  clusters?: { name?: string; cluster?: { server?: string } }[];
}

/** The API server of the kubeconfig's chosen (or current) context; the kubeconfig itself is never echoed. */
export function kubeconfigServer(text: string, context: string | undefined): string {
  let config: KubeconfigShape;
  try {
    config = parse(text) as KubeconfigShape;
  } catch {
    throw new Error("the kubeconfig cannot be read as YAML");
  }
  const name = context ?? config["current-context"];
  const entry = config.contexts?.find((c) => c.name === name);
  if (!entry)
    throw new Error(name ? `context "${name}" is not in the kubeconfig` : "the kubeconfig has no current context");
  const server = config.clusters?.find((c) => c.name === entry.context?.cluster)?.cluster?.server;
  if (!server) throw new Error(`context "${name}" names no cluster with a server URL`);
  return server;
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
