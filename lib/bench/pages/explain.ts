// Run by lib/bench/pages.ts as `node --conditions=react-server --import tsx …/explain.ts <database-url> <workload-id>`
// (the read models are server-only): calls each measured page's read models as the page does, records every
// statement Prisma sends, and prints EXPLAIN (ANALYZE, BUFFERS) of each.
import pg from "pg";
import { createDb, setProcessDb, type Db } from "@/lib/db";
import { getCheckBreakdown, getComplianceMatrix, MATRIX_CHANGE_DAYS } from "@/lib/data/compliance-matrix";
import { countOpenFindings, listCheckCompliance, listFailingWorkloads } from "@/lib/data/checks";
import {
  getFilterOptions,
  getFindingActivity,
  getOverview,
  listPodSecurity,
  listRiskiestWorkloads,
} from "@/lib/data/overview";
import { hasPolled, listTargets } from "@/lib/data/targets";
import { getTrends } from "@/lib/data/trends";
import { listViolations } from "@/lib/data/violations";
import { listFleetVulnerabilities, listWorkloadVulnerabilities } from "@/lib/data/vulnerabilities";
import { getWorkload } from "@/lib/data/workloads";
import { getAuditReport } from "@/lib/data/audit-report";
import { getFrameworkCompliance } from "@/lib/data/frameworks";
import { FRAMEWORKS } from "@/lib/frameworks";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";

const [url, workloadId = "", only] = process.argv.slice(2);
if (!url) throw new Error("usage: explain.ts <database-url> <workload-id> [page]");

const CHECK = "run-as-non-root";
/** The bench signs in as an admin without a scope. */
const access = WHOLE_FLEET;

/** Each measured page's read models, called as its page.tsx and panels call them. */
const PAGES: Record<string, (db: Db) => Promise<unknown>> = {
  overview: () =>
    Promise.all([
      getFilterOptions(access),
      hasPolled(),
      getOverview({ access }),
      getTrends({ days: 30, access }),
      getFindingActivity({ access }),
      listCheckCompliance({ access }),
      listRiskiestWorkloads({ access }),
      listPodSecurity({ access }),
      listTargets({ access }),
    ]),
  "compliance matrix": () => getComplianceMatrix("target", access),
  "violations filtered": () =>
    Promise.all([listViolations({ severity: "high", checkId: CHECK, page: 1, access }), getFilterOptions(access)]),
  workload: (db) => Promise.all([getWorkload(workloadId, access), listWorkloadVulnerabilities(db, workloadId)]),
  vulnerabilities: (db) => listFleetVulnerabilities(db, { access }),
  "trends 90 days": () => Promise.all([getFilterOptions(access), getTrends({ days: 90, access })]),
  "check page": () =>
    Promise.all([
      listCheckCompliance({ access }),
      listFailingWorkloads(CHECK, { access }),
      countOpenFindings(CHECK, { access }),
      getCheckBreakdown(CHECK, "target", MATRIX_CHANGE_DAYS, access),
      getCheckBreakdown(CHECK, "team", MATRIX_CHANGE_DAYS, access),
    ]),
  "framework view": () =>
    Promise.all([getFilterOptions(access), getFrameworkCompliance(FRAMEWORKS["cis-docker"], { access })]),
  "auditor report": () =>
    Promise.all([
      getFilterOptions(access),
      getAuditReport({ scope: { access }, date: new Date().toISOString().slice(0, 10) }),
    ]),
  "auditor report, 30 days back": () =>
    Promise.all([
      getFilterOptions(access),
      getAuditReport({ scope: { access }, date: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10) }),
    ]),
};

interface Statement {
  query: string;
  params: unknown[];
}

const db = createDb(url, { logQueries: true });
let recorded: Statement[] = [];
// The client's type does not carry the log option, so its "query" event is typed here.
(db as unknown as { $on(event: "query", listener: (e: { query: string; params: string }) => void): void }).$on(
  "query",
  (event) => recorded.push({ query: event.query, params: JSON.parse(event.params) as unknown[] }),
);
setProcessDb(db);

const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  for (const [page, load] of Object.entries(PAGES)) {
    if (only && page !== only) continue;
    recorded = [];
    await load(db);
    const statements = recorded.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.query));
    process.stdout.write(`\n== EXPLAIN (ANALYZE, BUFFERS), ${page}: ${statements.length} statements ==\n`);
    for (const [i, { query, params }] of statements.entries()) {
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, params);
      const plan = rows.map((row) => row["QUERY PLAN"]);
      const time = plan.find((line) => line.startsWith("Execution Time"));
      process.stdout.write(`-- ${page} #${i + 1} (${time}): ${query.replace(/\s+/g, " ").slice(0, 160)}\n`);
      for (const line of plan) if (!/^(Planning|Execution) Time/.test(line)) process.stdout.write(`   ${line}\n`);
    }
  }
} finally {
  await client.end();
  await db.$disconnect();
}
