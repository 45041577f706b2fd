import type { Metadata } from "next";
import { connection } from "next/server";
import { ChecksTable } from "@/components/checks/checks-table";
import { ScoreFormulas } from "@/components/checks/score-formulas";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/session";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { listCheckCompliance } from "@/lib/data/checks";

export const metadata: Metadata = { title: "Checks" };

export default async function ChecksPage() {
  const user = await requireRole("viewer");
  await connection();
  const compliance = await listCheckCompliance({ access: user.access });
  const rows = compliance.map((row) => ({
    ...row,
    category: CHECK_CATALOG.find((check) => check.id === row.checkId)?.category ?? "",
  }));
  return (
    <>
      <PageHeader
        title="Checks"
        description={`The ${rows.length} checks every container is judged against, with the share of current containers passing.`}
      />
      <div className="space-y-6">
        <ChecksTable rows={rows} />
        <Card title="Scores">
          <ScoreFormulas />
        </Card>
      </div>
    </>
  );
}
