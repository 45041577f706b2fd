import { z } from "zod";
import { SEVERITIES, STATUSES } from "@/lib/domain/severity";

// The JSON document of CHECKS.md "Machine-readable results", printed by `rampart scan` and `rampart collect`.

const verdictSchema = z.object({ allowed: z.boolean(), violations: z.array(z.string()) }).strict();

const remediationSchema = z
  .object({
    summary: z.string(),
    kubernetesPatch: z.string().optional(),
    kubectl: z.string().optional(),
    kubernetesManifest: z.string().optional(),
    dockerRun: z.object({ add: z.array(z.string()), remove: z.array(z.string()) }).optional(),
    compose: z.string().optional(),
    dockerfile: z.array(z.string()).optional(),
  })
  .strict();

const exceptedSchema = z
  .object({ source: z.enum(["annotation", "exception"]), reason: z.string(), exceptionId: z.string().optional() })
  .strict();

export const checkOutputSchema = z
  .object({
    id: z.string().min(1),
    status: z.enum(STATUSES),
    severity: z.enum(SEVERITIES),
    message: z.string(),
    fieldPath: z.string().optional(),
    remediation: remediationSchema.optional(),
    excepted: exceptedSchema.optional(),
  })
  .strict();

const workloadFixSchema = remediationSchema
  .extend({
    closes: z.array(z.string()),
    podManifest: z.string().optional(),
    dockerRunCommand: z.string().optional(),
  })
  .strict();

export const containerOutputSchema = z
  .object({
    name: z.string(),
    image: z.string(),
    score: z.number().int().min(0).max(100).nullable(),
    checks: z.array(checkOutputSchema),
  })
  .strict();

export const resultOutputSchema = z
  .object({
    platform: z.enum(["kubernetes", "docker", "dockerfile"]),
    source: z.string().min(1),
    workload: z.object({ kind: z.string().min(1), namespace: z.string(), name: z.string() }).strict(),
    podSecurity: z.object({ baseline: verdictSchema, restricted: verdictSchema }).strict().optional(),
    containers: z.array(containerOutputSchema),
    remediation: workloadFixSchema.optional(),
  })
  .strict()
  .refine((result) => (result.platform === "kubernetes") === (result.podSecurity !== undefined), {
    message: "podSecurity is present for Kubernetes results only",
    path: ["podSecurity"],
  });

export const scanOutputSchema = z
  .object({
    tool: z.object({ name: z.literal("rampart"), version: z.string().min(1) }).strict(),
    results: z.array(resultOutputSchema),
    summary: z
      .object({
        workloads: z.number().int().min(0),
        containers: z.number().int().min(0),
        failed: z.number().int().min(0),
        score: z.number().int().min(0).max(100).nullable(),
      })
      .strict(),
  })
  .strict();

export type ScanOutput = z.infer<typeof scanOutputSchema>;
export type ResultOutput = z.infer<typeof resultOutputSchema>;
export type CheckOutput = z.infer<typeof checkOutputSchema>;
