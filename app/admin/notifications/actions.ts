"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import {
  channelInputSchema,
  createChannel,
  createRule,
  deleteChannel,
  deleteRule,
  ruleInputSchema,
  sendTestNotification,
} from "@/lib/services/notifications";
import { actorOf } from "../actor";

const PATH = "/admin/notifications";

export interface ChannelFormState {
  error: string | null;
  /** A generated webhook secret, shown once. */
  secret: string | null;
}

export interface RuleFormState {
  error: string | null;
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ");
}

function field(formData: FormData, name: string): string | null {
  const value = formData.get(name);
  return typeof value === "string" ? value : null;
}

export async function addChannel(_state: ChannelFormState, formData: FormData): Promise<ChannelFormState> {
  const admin = await requireRole("admin");
  const parsed = channelInputSchema.safeParse({
    name: field(formData, "name"),
    kind: field(formData, "kind"),
    url: field(formData, "url"),
    secret: field(formData, "secret"),
  });
  if (!parsed.success) return { error: issues(parsed.error), secret: null };
  const exists = await getDb().notificationChannel.findUnique({
    where: { name: parsed.data.name },
    select: { id: true },
  });
  if (exists) return { error: "name: a channel with this name exists", secret: null };
  const created = await createChannel(getDb(), parsed.data, await actorOf(admin));
  revalidatePath(PATH);
  return { error: null, secret: created.generatedSecret };
}

export async function addRule(_state: RuleFormState, formData: FormData): Promise<RuleFormState> {
  const admin = await requireRole("admin");
  const parsed = ruleInputSchema.safeParse({
    channelId: field(formData, "channelId"),
    event: field(formData, "event"),
    minSeverity: field(formData, "minSeverity") ?? undefined,
    targetId: field(formData, "targetId"),
    namespace: field(formData, "namespace"),
    team: field(formData, "team"),
    checkId: field(formData, "checkId"),
    withinDays: field(formData, "withinDays") || undefined,
  });
  if (!parsed.success) return { error: issues(parsed.error) };
  await createRule(getDb(), parsed.data, await actorOf(admin));
  revalidatePath(PATH);
  return { error: null };
}

const idSchema = z.object({ id: z.uuid() });

export async function removeChannel(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const { id } = idSchema.parse({ id: formData.get("id") });
  await deleteChannel(getDb(), id, await actorOf(admin));
  revalidatePath(PATH);
}

export async function removeRule(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const { id } = idSchema.parse({ id: formData.get("id") });
  await deleteRule(getDb(), id, await actorOf(admin));
  revalidatePath(PATH);
}

/** One attempt now; its outcome (status, response code, excerpt) shows in the delivery log. */
export async function sendTest(formData: FormData): Promise<void> {
  const admin = await requireRole("admin");
  const { id } = idSchema.parse({ id: formData.get("id") });
  await sendTestNotification(getDb(), id, await actorOf(admin));
  revalidatePath(PATH);
}
