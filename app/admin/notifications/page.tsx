import type { Metadata } from "next";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requireRole } from "@/lib/auth/session";
import { listNotificationSettings } from "@/lib/data/notifications";
import { addChannel, addRule, removeChannel, removeRule, sendTest } from "./actions";
import { AddChannelForm, AddRuleForm } from "./notification-forms";

export const metadata: Metadata = { title: "Notifications" };

const STATUS_TONE: Record<string, Tone> = { delivered: "green", pending: "amber", failed: "red" };

const EVENT_LABEL: Record<string, string> = {
  "new-findings": "new findings",
  "target-failing": "target starts failing",
  "exception-expiring": "exceptions expiring",
  test: "test",
};

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

export default async function NotificationsPage() {
  await requireRole("admin");
  const { channels, rules, deliveries, targets } = await listNotificationSettings();
  return (
    <>
      <PageHeader
        title="Notifications"
        description="One message per run and rule, sent by the workers with retries. Channel URLs and secrets are stored encrypted and never shown again."
      />
      <div className="space-y-8">
        <Section id="channels" title={`Channels (${channels.length})`}>
          {channels.length === 0 ? (
            <EmptyState title="No channels">Add a signed webhook or a Slack incoming webhook below.</EmptyState>
          ) : (
            <Table caption="Notification channels">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Kind</Th>
                  <Th>Endpoint</Th>
                  <Th>Rules</Th>
                  <Th>Actions</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {channels.map((channel) => (
                  <tr key={channel.id}>
                    <Td className="font-medium">{channel.name}</Td>
                    <Td>{channel.kind === "slack" ? "Slack" : "Webhook (signed)"}</Td>
                    <Td className="font-mono text-xs break-all">{channel.endpoint}</Td>
                    <Td>{channel.rules}</Td>
                    <Td>
                      <div className="flex gap-2">
                        <form action={sendTest}>
                          <input type="hidden" name="id" value={channel.id} />
                          <Button size="sm" variant="secondary" aria-label={`Send a test to ${channel.name}`}>
                            Send test
                          </Button>
                        </form>
                        <form action={removeChannel}>
                          <input type="hidden" name="id" value={channel.id} />
                          <Button size="sm" variant="danger" aria-label={`Delete ${channel.name}`}>
                            Delete
                          </Button>
                        </form>
                      </div>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <AddChannelForm action={addChannel} />
        </Section>

        <Section id="rules" title={`Rules (${rules.length})`}>
          {rules.length === 0 ? (
            <EmptyState title="No rules">Nothing is sent until a rule names a channel.</EmptyState>
          ) : (
            <Table caption="Notification rules">
              <thead>
                <tr>
                  <Th>When</Th>
                  <Th>Channel</Th>
                  <Th>Scope</Th>
                  <Th>Actions</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rules.map((rule) => (
                  <tr key={rule.id}>
                    <Td>
                      {EVENT_LABEL[rule.event] ?? rule.event}
                      {rule.event === "new-findings" ? `, ${rule.minSeverity} or above` : ""}
                      {rule.event === "exception-expiring" ? `, within ${rule.withinDays} days` : ""}
                    </Td>
                    <Td>{rule.channelName}</Td>
                    <Td className="break-words">{rule.scope}</Td>
                    <Td>
                      <form action={removeRule}>
                        <input type="hidden" name="id" value={rule.id} />
                        <Button size="sm" variant="danger" aria-label={`Delete rule ${rule.id}`}>
                          Delete
                        </Button>
                      </form>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          {channels.length > 0 ? <AddRuleForm action={addRule} channels={channels} targets={targets} /> : null}
        </Section>

        <Section id="deliveries" title="Delivery log (latest 50)">
          {deliveries.length === 0 ? (
            <EmptyState title="Nothing sent yet">Messages and test sends appear here with their outcome.</EmptyState>
          ) : (
            <Table caption="Delivery log">
              <thead>
                <tr>
                  <Th>Queued</Th>
                  <Th>Channel</Th>
                  <Th>Event</Th>
                  <Th>Status</Th>
                  <Th>Attempts</Th>
                  <Th>Response</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {deliveries.map((delivery) => (
                  <tr key={delivery.id}>
                    <Td>
                      <Time value={delivery.createdAt} />
                    </Td>
                    <Td>{delivery.channelName}</Td>
                    <Td>{EVENT_LABEL[delivery.event] ?? delivery.event}</Td>
                    <Td>
                      <Badge tone={STATUS_TONE[delivery.status] ?? "slate"}>{delivery.status}</Badge>
                      {delivery.nextAttemptAt ? (
                        <div className="mt-1 text-xs text-slate-500">
                          next try <Time value={delivery.nextAttemptAt} />
                        </div>
                      ) : null}
                    </Td>
                    <Td>{delivery.attempts}</Td>
                    <Td className="max-w-md text-xs break-words">
                      {delivery.responseStatus !== null ? (
                        <span className="font-mono">HTTP {delivery.responseStatus}</span>
                      ) : null}
                      {delivery.error && delivery.responseStatus === null ? <span>{delivery.error}</span> : null}
                      {delivery.responseExcerpt ? (
                        <div className="mt-1 font-mono text-slate-500">{delivery.responseExcerpt}</div>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Section>
      </div>
    </>
  );
}
