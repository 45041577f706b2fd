"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { AddTargetState } from "@/components/targets/add-docker-target-form";
import { decryptCredentials } from "@/lib/auth/credentials";
import { requireRole } from "@/lib/auth/session";
import type { Platform } from "@/lib/domain/facts";
import type { TargetCredentials, TargetSettings } from "@/lib/collectors/types";
import { getDb } from "@/lib/db";
import { getTargetSettings } from "@/lib/data/targets";
import { loadDemoFleet, removeDemoData } from "@/lib/demo";
import { recordAudit, type AuditAction } from "@/lib/services/audit";
import {
  createTarget,
  deleteTarget as deleteTargetRow,
  pollTargetNow,
  setTargetEnabled as setEnabled,
  updateTarget,
} from "@/lib/services/targets";
import {
  clusterTarget,
  clusterTargetInputSchema,
  dockerCredentials,
  dockerTargetInputSchema,
  formFields,
  isUniqueViolation,
  issuesByField,
  testConnection,
} from "@/lib/services/targets/target-forms";

const targetIdSchema = z.object({ targetId: z.uuid() });
const booleanField = z.enum(["true", "false"]).transform((value) => value === "true");
const SECRET_FIELDS = ["token", "kubeconfig", "ca", "tlsCa", "tlsCert", "tlsKey"];

async function audit(
  actor: string,
  action: AuditAction,
  target: string,
  detail: Record<string, string | number | boolean> = {},
) {
  await recordAudit(getDb(), { actor, action, target, detail });
}

function revalidateAll(): void {
  for (const path of ["/targets", "/", "/violations", "/trends", "/checks"]) revalidatePath(path);
}

function rejectedState(values: Record<string, string>) {
  const shown = Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELDS.includes(key)));
  return (error: string | null, fieldErrors: Record<string, string> = {}): AddTargetState => ({
    error,
    fieldErrors,
    addedName: null,
    values: shown,
    connection: null,
  });
}

async function saveTarget(
  input: { name: string; platform: Platform; url: string; settings: TargetSettings; credentials?: TargetCredentials },
  reject: ReturnType<typeof rejectedState>,
  actor: string,
): Promise<AddTargetState> {
  try {
    const { credentials, settings, ...fields } = input;
    await createTarget(getDb(), {
      ...fields,
      platform: input.platform === "kubernetes" ? "kubernetes" : "docker",
      settings: { ...settings },
      ...(credentials ? { credentials: { ...credentials } } : {}),
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return reject("Check the highlighted fields.", { name: "a target with this name exists" });
    console.error("adding a target failed:", error instanceof Error ? error.message : "unknown error");
    return reject("The target could not be added; the server log has the reason.");
  }
  await audit(actor, "target.created", input.name, { platform: input.platform, url: input.url });
  revalidateAll();
  return { error: null, fieldErrors: {}, addedName: input.name, values: {}, connection: null };
}

export async function addDockerTarget(_state: AddTargetState, formData: FormData): Promise<AddTargetState> {
  const user = await requireRole("admin");
  const values = formFields(formData);
  const reject = rejectedState(values);
  let uploads: Record<string, string>;
  try {
    uploads = await readPemUploads(formData);
  } catch (error) {
    return reject("Check the highlighted fields.", (error as UploadError).fieldErrors);
  }
  const parsed = dockerTargetInputSchema.safeParse({ ...values, ...uploads });
  if (!parsed.success) return reject("Check the highlighted fields.", issuesByField(parsed.error.issues));
  const { name, url, includeStopped } = parsed.data;
  const settings: TargetSettings = includeStopped ? { includeStopped: true } : {};
  const credentials = dockerCredentials(parsed.data);
  if (values.intent === "test") {
    const connection = await testConnection({ name, platform: "docker", url, settings, credentials });
    return { ...reject(null), connection };
  }
  const hasTls = Object.keys(credentials).length > 0;
  return saveTarget(
    { name, platform: "docker", url, settings, ...(hasTls ? { credentials } : {}) },
    reject,
    user.email,
  );
}

class UploadError extends Error {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("upload refused");
  }
}

/** TLS files chosen in the form (`tlsCaUpload` …): their PEM text replaces what was pasted in the same field. */
async function readPemUploads(formData: FormData): Promise<Record<string, string>> {
  const uploads: Record<string, string> = {};
  for (const field of ["tlsCa", "tlsCert", "tlsKey"]) {
    const file = formData.get(`${field}Upload`);
    if (!(file instanceof File) || file.size === 0) continue;
    if (file.size > 64_000) throw new UploadError({ [field]: "the file is larger than 64 kB; upload the PEM file" });
    uploads[field] = await file.text();
  }
  return uploads;
}

async function readKubeconfigUpload(formData: FormData): Promise<string | undefined> {
  const file = formData.get("kubeconfigFile");
  if (!(file instanceof File) || file.size === 0) return undefined;
  if (file.size > 1_000_000) throw new Error("the kubeconfig file is larger than 1 MB");
  return file.text();
}

export async function addClusterTarget(_state: AddTargetState, formData: FormData): Promise<AddTargetState> {
  const user = await requireRole("admin");
  const values = formFields(formData);
  const reject = rejectedState(values);
  let uploaded: string | undefined;
  try {
    uploaded = await readKubeconfigUpload(formData);
  } catch (error) {
    return reject("Check the highlighted fields.", { kubeconfig: (error as Error).message });
  }
  const parsed = clusterTargetInputSchema.safeParse({ ...values, kubeconfig: uploaded ?? values.kubeconfig });
  if (!parsed.success) return reject("Check the highlighted fields.", issuesByField(parsed.error.issues));
  let target;
  try {
    target = clusterTarget(parsed.data);
  } catch (error) {
    return reject("Check the highlighted fields.", { kubeconfig: (error as Error).message });
  }
  if (values.intent === "test") {
    const connection = await testConnection({ name: parsed.data.name, platform: "kubernetes", ...target });
    return { ...reject(null), connection };
  }
  return saveTarget({ name: parsed.data.name, platform: "kubernetes", ...target }, reject, user.email);
}

export async function testTargetConnection(
  _state: { ok: boolean; message: string } | null,
  formData: FormData,
): Promise<{ ok: boolean; message: string } | null> {
  await requireRole("admin");
  const { targetId } = targetIdSchema.parse(formFields(formData));
  const target = await getDb().target.findUnique({ where: { id: targetId } });
  if (!target) return { ok: false, message: "this target no longer exists" };
  const credentials = target.credentials ? decryptCredentials<TargetCredentials>(target.credentials) : {};
  const settings = (target.settings ?? {}) as TargetSettings;
  return testConnection({
    name: target.name,
    platform: target.platform as Platform,
    url: target.url,
    settings,
    credentials,
  });
}

export async function pollTarget(formData: FormData): Promise<void> {
  await requireRole("admin");
  const { targetId } = targetIdSchema.parse(formFields(formData));
  await pollTargetNow(getDb(), targetId);
  revalidatePath("/targets");
  revalidatePath("/targets/[name]", "page");
}

export async function setTargetEnabled(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const { targetId, enabled } = targetIdSchema.extend({ enabled: booleanField }).parse(formFields(formData));
  const target = await setEnabled(getDb(), targetId, enabled);
  await audit(user.email, "target.updated", target.name, { enabled });
  revalidatePath("/targets");
  revalidatePath("/targets/[name]", "page");
}

export async function setTargetInterval(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const { targetId, intervalSeconds } = targetIdSchema
    .extend({ intervalSeconds: z.coerce.number().int().min(10).max(86_400) })
    .parse(formFields(formData));
  const target = await updateTarget(getDb(), targetId, { intervalSeconds });
  await audit(user.email, "target.updated", target.name, { intervalSeconds });
  revalidatePath("/targets");
  revalidatePath("/targets/[name]", "page");
}

export async function setTargetIncludeStopped(formData: FormData): Promise<void> {
  await requireRole("admin");
  const { targetId, includeStopped } = targetIdSchema
    .extend({ includeStopped: booleanField })
    .parse(formFields(formData));
  const settings = await getTargetSettings(targetId);
  if (settings === null) return;
  await updateTarget(getDb(), targetId, { settings: { ...settings, includeStopped } });
  revalidatePath("/targets");
}

export async function deleteTarget(formData: FormData): Promise<void> {
  const user = await requireRole("admin");
  const fields = formFields(formData);
  const { targetId } = targetIdSchema.parse(fields);
  const target = await getDb().target.findUnique({ where: { id: targetId }, select: { name: true } });
  if (!target) return;
  await deleteTargetRow(getDb(), targetId);
  await audit(user.email, "target.deleted", target.name);
  revalidateAll();
  if (fields.redirect === "list") redirect("/targets");
}

export async function loadDemoFleetAction(): Promise<void> {
  const user = await requireRole("admin");
  const result = await loadDemoFleet(getDb());
  await audit(user.email, "target.created", "demo fleet", { targets: result.targets, runs: result.runs });
  revalidateAll();
  redirect("/");
}

export async function removeDemoDataAction(): Promise<void> {
  const user = await requireRole("admin");
  const removed = await removeDemoData(getDb());
  await audit(user.email, "target.deleted", "demo fleet", { targets: removed });
  revalidateAll();
}
