import { z } from "zod";
import { checkDockerTlsPem } from "@/lib/collectors/docker/tls-pem";
import { readUntrustedKubeconfig } from "@/lib/collectors/kubernetes/untrusted-kubeconfig";
import type { Target } from "@/lib/db";

export const PLATFORMS = ["docker", "kubernetes"] as const;

export const targetInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  platform: z.enum(PLATFORMS),
  url: z.string().trim().min(1).max(2000),
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Secret material (tokens, keys, kubeconfig): stored only encrypted. */
  credentials: z.record(z.string(), z.unknown()).nullable().optional(),
  enabled: z.boolean().default(true),
  intervalSeconds: z.number().int().min(10).max(86_400).default(300),
});
export type TargetInput = z.input<typeof targetInputSchema>;

const FILE_SETTINGS = ["tlsCaFile", "tlsCertFile", "tlsKeyFile"];

/**
 * What a stored target may hold, whoever sends it: no paths on the server, a kubeconfig with inline data only
 * (or an operator-allowed plugin), TLS material that parses and whose key matches its certificate.
 */
export function checkStoredTarget(input: {
  platform?: string;
  settings?: Record<string, unknown>;
  credentials?: Record<string, unknown> | null;
}): void {
  const paths = FILE_SETTINGS.filter((key) => input.settings?.[key] !== undefined);
  if (paths.length > 0)
    throw new Error(`a target cannot name files on the Rampart server (${paths.join(", ")}): upload the PEM instead`);
  const credentials = input.credentials ?? {};
  if (typeof credentials.kubeconfig === "string") {
    const context = input.settings?.context;
    readUntrustedKubeconfig(credentials.kubeconfig, typeof context === "string" ? { context } : {});
  }
  if (input.platform !== "docker") return;
  const pem = (key: string) => (typeof credentials[key] === "string" ? (credentials[key] as string) : undefined);
  const problems = checkDockerTlsPem({ ca: pem("tlsCa"), cert: pem("tlsCert"), key: pem("tlsKey") });
  const first = Object.values(problems)[0];
  if (first) throw new Error(first);
}

export const targetUpdateSchema = targetInputSchema.partial().extend({
  settings: z.record(z.string(), z.unknown()).optional(),
  enabled: z.boolean().optional(),
  intervalSeconds: z.number().int().min(10).max(86_400).optional(),
});
/** `credentials`: undefined keeps the stored ones, null removes them, an object replaces them. */
export type TargetUpdate = z.input<typeof targetUpdateSchema>;

/** A target as safe to show: the ciphertext is replaced by whether there is any. */
export type TargetSummary = Omit<Target, "credentials"> & { hasCredentials: boolean };

export function toSummary(target: Target): TargetSummary {
  const { credentials, ...rest } = target;
  return { ...rest, hasCredentials: credentials !== null };
}
