import Link from "next/link";
import { connection } from "next/server";
import { requireRole } from "@/lib/auth/session";
import { SeverityBadge } from "@/components/findings/severity-badge";
import { violationsHref } from "@/components/findings/violation-filters";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getOverview } from "@/lib/data/overview";
import { SEVERITIES } from "@/lib/domain/severity";

export default async function OverviewPage() {
  await requireRole("viewer");
  await connection();
  const overview = await getOverview();
  return (
    <>
      <PageHeader title="Overview" description="The fleet as of the latest collection runs." />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card title="Fleet score">
          <p className="text-3xl font-semibold">
            {overview.fleetScore === null ? "–" : Math.round(overview.fleetScore)}
            <span className="text-base font-normal text-slate-500"> / 100</span>
          </p>
          <p className="text-xs text-slate-500">mean container score</p>
        </Card>
        <Card title="Targets">
          <Link href="/targets" className="text-3xl font-semibold hover:underline">
            {overview.targets}
          </Link>
        </Card>
        <Card title="Containers">
          <p className="text-3xl font-semibold">{overview.containers}</p>
        </Card>
        <Card title="Open findings">
          <ul className="space-y-1">
            {SEVERITIES.map((severity) => (
              <li key={severity} className="flex items-center justify-between text-sm">
                <SeverityBadge severity={severity} />
                <Link href={violationsHref({ severity })} className="font-medium hover:underline">
                  {overview.openBySeverity[severity]}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      </div>
    </>
  );
}
