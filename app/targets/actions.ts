"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AddTargetState } from "@/components/targets/add-docker-target-form";
import { getDb } from "@/lib/db";
import { createTarget, deleteTarget as deleteTargetRow, pollTargetNow, setTargetEnabled as setEnabled } from "@/lib/services/targets";

const optionalPath = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.string().startsWith("/", "must be an absolute path on the Rampart host").optional());

const dockerTargetInputSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, "letters, digits, dot, dash or underscore, up to 63 characters"),
  url: z
    .string()
    .trim()
    .regex(/^(unix:\/\/\/\S+|tcp:\/\/[^\s/]+:\d{1,5})$/, "must start with unix:/// or tcp:// (tcp://host:port)"),
  tlsCaFile: optionalPath,
  tlsCertFile: optionalPath,
  tlsKeyFile: optionalPath,
});

export type DockerTargetInput = z.infer<typeof dockerTargetInputSchema>;

const targetIdSchema = z.object({ targetId: z.uuid() });

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

function formFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of formData.entries()) if (typeof value === "string") fields[key] = value;
  return fields;
}

export async function addDockerTarget(_state: AddTargetState, formData: FormData): Promise<AddTargetState> {
  const parsed = dockerTargetInputSchema.safeParse(formFields(formData));
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return { error: "Check the highlighted fields.", fieldErrors, addedName: null };
  }
  const { name, url, ...tls } = parsed.data;
  const settings = Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined));
  try {
    await createTarget(getDb(), { name, platform: "docker", url, settings });
  } catch (error) {
    if (isUniqueViolation(error)) return { error: null, fieldErrors: { name: "a target with this name exists" }, addedName: null };
    console.error("adding a target failed:", error);
    return { error: "The target could not be added; the server log has the reason.", fieldErrors: {}, addedName: null };
  }
  revalidatePath("/targets");
  return { error: null, fieldErrors: {}, addedName: name };
}

export async function pollTarget(formData: FormData): Promise<void> {
  const { targetId } = targetIdSchema.parse(formFields(formData));
  await pollTargetNow(getDb(), targetId);
  revalidatePath("/targets");
}

export async function setTargetEnabled(formData: FormData): Promise<void> {
  const { targetId, enabled } = targetIdSchema
    .extend({ enabled: z.enum(["true", "false"]).transform((value) => value === "true") })
    .parse(formFields(formData));
  await setEnabled(getDb(), targetId, enabled);
  revalidatePath("/targets");
}

export async function deleteTarget(formData: FormData): Promise<void> {
  const { targetId } = targetIdSchema.parse(formFields(formData));
  await deleteTargetRow(getDb(), targetId);
  revalidatePath("/targets");
  revalidatePath("/violations");
  revalidatePath("/");
}
