import { z } from "zod";
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
