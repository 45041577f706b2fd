"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { AddTargetState } from "@/components/targets/add-docker-target-form";
import { getDb } from "@/lib/db";
import { getTargetSettings } from "@/lib/data/targets";
import { auditRequest } from "@/lib/auth/audit-request";
import { requireRole } from "@/lib/auth/session";
import {
  createTarget,
  deleteTarget as deleteTargetRow,
  pollTargetNow,
  setTargetEnabled as setEnabled,
  updateTarget,
} from "@/lib/services/targets";

const optionalPath = z
  .string()
  .trim()
  .transform((value) => value || undefined)
  .pipe(z.string().startsWith("/", "must be an absolute path on the Rampart host").optional());

const dockerTargetInputSchema = z
  .object({
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
    includeStopped: z.literal("true").optional(),
  })
  .superRefine((input, context) => {
    if (!input.url.startsWith("tcp://")) return;
    for (const field of ["tlsCertFile", "tlsKeyFile"] as const) {
      if (!input[field])
        context.addIssue({ code: "custom", path: [field], message: "tcp:// needs a client certificate and key" });
    }
  });

export type DockerTargetInput = z.infer<typeof dockerTargetInputSchema>;

const targetIdSchema = z.object({ targetId: z.uuid() });
const booleanField = z.enum(["true", "false"]).transform((value) => value === "true");

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/** String fields only, without the `$ACTION_…` keys that React adds to action forms. */
function formFields(formData: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$ACTION")) fields[key] = value;
  }
  return fields;
}

export async function addDockerTarget(_state: AddTargetState, formData: FormData): Promise<AddTargetState> {
  const user = await requireRole("admin");
  const values = formFields(formData);
  const rejected = (error: string | null, fieldErrors: Record<string, string> = {}): AddTargetState => ({
    error,
    fieldErrors,
    addedName: null,
    values,
  });
  const parsed = dockerTargetInputSchema.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    return rejected("Check the highlighted fields.", fieldErrors);
  }
  const { name, url, includeStopped, ...tls } = parsed.data;
  const settings = {
    ...Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined)),
    ...(includeStopped ? { includeStopped: true } : {}),
  };
  try {
    await createTarget(getDb(), { name, platform: "docker", url, settings });
  } catch (error) {
    if (isUniqueViolation(error))
      return rejected("Check the highlighted fields.", { name: "a target with this name exists" });
    console.error("adding a target failed:", error);
    return rejected("The target could not be added; the server log has the reason.");
  }
  await auditRequest(user, { action: "target.created", target: name, detail: { platform: "docker", url } });
  revalidatePath("/targets");
  return { error: null, fieldErrors: {}, addedName: name, values: {} };
}

export async function pollTarget(formData: FormData): Promise<void> {
  await requireRole("admin");
  const { targetId } = targetIdSchema.parse(formFields(formData));
  await pollTargetNow(getDb(), targetId);
  revalidatePath("/targets");
}

export async function setTargetEnabled(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const { targetId, enabled } = targetIdSchema.extend({ enabled: booleanField }).parse(formFields(formData));
  await setEnabled(getDb(), targetId, enabled);
  await auditRequest(user, { action: "target.updated", target: targetId, detail: { enabled } });
  revalidatePath("/targets");
}

export async function setTargetIncludeStopped(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const { targetId, includeStopped } = targetIdSchema
    .extend({ includeStopped: booleanField })
    .parse(formFields(formData));
  const settings = await getTargetSettings(targetId);
  if (settings === null) return;
  await updateTarget(getDb(), targetId, { settings: { ...settings, includeStopped } });
  await auditRequest(user, { action: "target.updated", target: targetId, detail: { includeStopped } });
  revalidatePath("/targets");
}

export async function deleteTarget(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const { targetId } = targetIdSchema.parse(formFields(formData));
  await deleteTargetRow(getDb(), targetId);
  await auditRequest(user, { action: "target.deleted", target: targetId });
  revalidatePath("/targets");
  revalidatePath("/violations");
  revalidatePath("/");
}
