import type { Metadata } from "next";
import Link from "next/link";
import { notFound, permanentRedirect } from "next/navigation";
import { connection } from "next/server";
import { DeleteTargetForm } from "@/components/targets/delete-target-form";
import { IntervalForm, intervalLabel } from "@/components/targets/interval-form";
import { PollNowButton } from "@/components/targets/poll-now-button";
import { RunHistoryTable } from "@/components/targets/run-history-table";
import { TestConnectionButton } from "@/components/targets/test-connection-button";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { hasRole, requireRole } from "@/lib/auth/session";
import { getTargetDetail, targetNameById } from "@/lib/data/targets";
import { targetHref } from "@/lib/scope/fleet-scope";
import { deleteTarget, pollTarget, setTargetEnabled, setTargetInterval, testTargetConnection } from "../actions";

export const metadata: Metadata = { title: "Target" };

export default async function TargetPage({ params }: { params: Promise<{ name: string }> }) {
  const user = await requireRole("viewer");
  await connection();
  const { name } = await params;
  const detail = await getTargetDetail(name, user.access);
  if (!detail) {
    // Links from before targets were named by name in URLs.
    const renamed = await targetNameById(name, user.access);
    if (renamed !== null) permanentRedirect(targetHref(renamed));
    notFound();
  }
  const { target } = detail;
  const canAdmin = hasRole(user.role, "admin");
  return (
    <>
      <PageHeader title={target.name} description={`${target.platform} · ${target.url}`}>
        {canAdmin ? (
          <div className="flex flex-wrap items-start gap-2">
            <TestConnectionButton targetId={target.id} name={target.name} action={testTargetConnection} />
            <PollNowButton
              targetId={target.id}
              name={target.name}
              isEnabled={target.enabled}
              lastRun={target.lastRun}
              action={pollTarget}
            />
            <form action={setTargetEnabled}>
              <input type="hidden" name="targetId" value={target.id} />
              <input type="hidden" name="enabled" value={target.enabled ? "false" : "true"} />
              <Button size="sm" variant="secondary">
                {target.enabled ? "Disable" : "Enable"}
              </Button>
            </form>
            <IntervalForm
              targetId={target.id}
              name={target.name}
              intervalSeconds={target.intervalSeconds}
              action={setTargetInterval}
            />
            <DeleteTargetForm targetId={target.id} name={target.name} action={deleteTarget} redirectToList />
          </div>
        ) : null}
      </PageHeader>
      <div className="space-y-6">
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-4">
          <Card title="Score">
            <Stat
              hint="mean container score"
              value={target.score === null ? "–" : Math.round(target.score)}
              unit="/ 100"
            />
          </Card>
          <Card title="Containers">
            <Stat hint="current" value={target.containers} />
          </Card>
          <Card title="Critical / high">
            <Stat hint="open findings" value={`${target.openCritical} / ${target.openHigh}`} />
          </Card>
          <Card title="Polling">
            <p className="text-sm">
              {target.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}{" "}
              {target.isStale ? <Badge tone="red">stale</Badge> : null}{" "}
              {target.isDemo ? <Badge tone="sky">demo</Badge> : null}
            </p>
            <p className="mt-1 text-xs text-slate-600">{intervalLabel(target.intervalSeconds)}</p>
            <p className="text-xs text-slate-600">credentials: {target.hasCredentials ? "set" : "none"}</p>
          </Card>
        </div>
        {detail.settings.length > 0 ? (
          <Card title="Settings">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              {detail.settings.map((setting) => (
                <div key={setting.key} className="contents">
                  <dt className="text-slate-500">{setting.key}</dt>
                  <dd className="font-mono text-xs break-all">{setting.value}</dd>
                </div>
              ))}
            </dl>
          </Card>
        ) : null}
        <section aria-label="Run history">
          <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            Run history (last {detail.runs.length})
          </h2>
          {detail.runs.length === 0 ? (
            <p className="text-sm text-slate-500">Not polled yet.</p>
          ) : (
            <RunHistoryTable runs={detail.runs} />
          )}
        </section>
        <Link href="/targets" className="text-sm text-slate-600 underline">
          All targets
        </Link>
      </div>
    </>
  );
}
