import "server-only";
import { getDb } from "@/lib/db";

export interface ChannelRow {
  id: string;
  name: string;
  kind: string;
  /** scheme://host of the URL: the rest may be a secret and is never read back. */
  endpoint: string;
  rules: number;
  createdAt: string;
}

export interface RuleRow {
  id: string;
  channelName: string;
  event: string;
  minSeverity: string;
  scope: string;
  withinDays: number;
}

export interface DeliveryRow {
  id: string;
  createdAt: string;
  channelName: string;
  event: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  responseExcerpt: string | null;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface NotificationSettings {
  channels: ChannelRow[];
  rules: RuleRow[];
  deliveries: DeliveryRow[];
  targets: { id: string; name: string }[];
}

const DELIVERY_LIMIT = 50;

export async function listNotificationSettings(): Promise<NotificationSettings> {
  const db = getDb();
  const [channels, rules, deliveries, targets] = await Promise.all([
    db.notificationChannel.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, kind: true, endpoint: true, createdAt: true, _count: { select: { rules: true } } },
    }),
    db.notificationRule.findMany({ orderBy: { createdAt: "asc" }, include: { channel: { select: { name: true } } } }),
    db.notificationDelivery.findMany({
      orderBy: { createdAt: "desc" },
      take: DELIVERY_LIMIT,
      include: { channel: { select: { name: true } } },
    }),
    db.target.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const targetName = new Map(targets.map((t) => [t.id, t.name]));
  return {
    channels: channels.map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      endpoint: c.endpoint,
      rules: c._count.rules,
      createdAt: c.createdAt.toISOString(),
    })),
    rules: rules.map((r) => ({
      id: r.id,
      channelName: r.channel.name,
      event: r.event,
      minSeverity: r.minSeverity,
      scope:
        [
          r.targetId ? `target ${targetName.get(r.targetId) ?? "(deleted)"}` : null,
          r.namespace !== null ? `namespace ${r.namespace}` : null,
          r.team !== null ? `team ${r.team}` : null,
          r.checkId !== null ? `check ${r.checkId}` : null,
        ]
          .filter(Boolean)
          .join(", ") || "everything",
      withinDays: r.withinDays,
    })),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      createdAt: d.createdAt.toISOString(),
      channelName: d.channel.name,
      event: d.event,
      status: d.status,
      attempts: d.attempts,
      responseStatus: d.responseStatus,
      responseExcerpt: d.responseExcerpt,
      error: d.error,
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
    })),
    targets,
  };
}
