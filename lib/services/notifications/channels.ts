import { decryptCredentials, encryptCredentials } from "@/lib/auth/credentials";
import type { Db } from "@/lib/db";
import type { ChannelKind, ChannelSecret } from "@/lib/notifications/send";
import { generateWebhookSecret } from "@/lib/notifications/signing";
import { recordAudit } from "@/lib/services/audit";
import type { Actor } from "@/lib/services/users";
import { channelInputSchema, ruleInputSchema, type ChannelInput, type RuleInput } from "./notification-input";

/** A webhook channel's secret is returned once, here, when Rampart made it; both are stored encrypted. */
export async function createChannel(
  db: Db,
  input: ChannelInput,
  actor: Actor,
): Promise<{ id: string; generatedSecret: string | null }> {
  const parsed = channelInputSchema.parse(input);
  const generatedSecret = parsed.kind === "webhook" && !parsed.secret ? generateWebhookSecret() : null;
  const secret: ChannelSecret = { url: parsed.url };
  if (parsed.kind === "webhook") secret.secret = parsed.secret ?? generatedSecret ?? undefined;
  const endpoint = new URL(parsed.url).origin;
  return db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.create({
      data: {
        name: parsed.name,
        kind: parsed.kind,
        endpoint,
        credentials: encryptCredentials(secret),
        createdBy: actor.email,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actor: actor.email,
      action: "notification.channel-created",
      target: parsed.name,
      detail: { kind: parsed.kind, endpoint },
      source: actor.ip,
    });
    return { id: row.id, generatedSecret };
  });
}

export async function deleteChannel(db: Db, channelId: string, actor: Actor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.notificationChannel.findUnique({ where: { id: channelId }, select: { name: true } });
    if (!row) return false;
    await tx.notificationChannel.delete({ where: { id: channelId } });
    await recordAudit(tx, {
      actor: actor.email,
      action: "notification.channel-deleted",
      target: row.name,
      source: actor.ip,
    });
    return true;
  });
}

export function openChannel(row: { kind: string; credentials: string }): { kind: ChannelKind; secret: ChannelSecret } {
  return { kind: row.kind as ChannelKind, secret: decryptCredentials<ChannelSecret>(row.credentials) };
}

export async function createRule(db: Db, input: RuleInput, actor: Actor): Promise<{ id: string }> {
  const data = ruleInputSchema.parse(input);
  return db.$transaction(async (tx) => {
    const channel = await tx.notificationChannel.findUnique({ where: { id: data.channelId }, select: { name: true } });
    if (!channel) throw new Error("That channel does not exist");
    const row = await tx.notificationRule.create({ data: { ...data, createdBy: actor.email }, select: { id: true } });
    await recordAudit(tx, {
      actor: actor.email,
      action: "notification.rule-created",
      target: channel.name,
      detail: {
        event: data.event,
        minSeverity: data.minSeverity,
        targetId: data.targetId,
        namespace: data.namespace,
        team: data.team,
        checkId: data.checkId,
      },
      source: actor.ip,
    });
    return row;
  });
}

export async function deleteRule(db: Db, ruleId: string, actor: Actor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const row = await tx.notificationRule.findUnique({
      where: { id: ruleId },
      select: { event: true, channel: { select: { name: true } } },
    });
    if (!row) return false;
    await tx.notificationRule.delete({ where: { id: ruleId } });
    await recordAudit(tx, {
      actor: actor.email,
      action: "notification.rule-deleted",
      target: row.channel.name,
      detail: { event: row.event },
      source: actor.ip,
    });
    return true;
  });
}
