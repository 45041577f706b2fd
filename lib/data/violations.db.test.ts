import { beforeAll, describe, expect, it } from "vitest";
import { WHOLE_FLEET } from "@/lib/scope/access-scope";
import type { Db } from "@/lib/db";
import { setupTestDatabase } from "@/lib/db/testing";
import { SEVERITIES, type Severity } from "@/lib/domain/severity";
import type { ViolationFilter } from "@/lib/scope/violation-query";
import { listViolations, selectViolationRows } from "./violations";

const database = setupTestDatabase({ processDb: true });
const BASE_TIME = Date.parse("2026-02-01T00:00:00Z");
// Nine checks, one finding each per container (a finding is unique per container and check).
const CHECKS = [
  "not-privileged",
  "run-as-non-root",
  "resource-limits",
  "read-only-root-filesystem",
  "no-host-namespaces",
  "drop-all-capabilities",
  "seccomp-profile",
  "no-privilege-escalation",
  "image-pinned-by-digest",
];
const STATUSES = ["open", "open", "excepted", "resolved"];

/** What was inserted, to compute the expected answers from. */
interface Inserted {
  id: string;
  checkId: string;
  severity: Severity;
  status: string;
  target: string;
  namespace: string;
  workload: string;
  image: string;
  team: string;
  firstSeenAt: number;
}
const inserted: Inserted[] = [];

async function seed(db: Db) {
  let n = 0;
  for (const targetName of ["cluster-a", "host-b"]) {
    const platform = targetName === "host-b" ? "docker" : "kubernetes";
    const target = await db.target.create({ data: { name: targetName, platform, url: `unix:///${targetName}` } });
    for (let w = 0; w < 4; w++) {
      const namespace = targetName === "host-b" ? "" : `ns-${w % 2}`;
      const team = w % 2 === 0 ? "storefront" : "payments";
      const workload = await db.workload.create({
        data: {
          targetId: target.id,
          namespace,
          kind: "Deployment",
          name: `app-${w}`,
          labels: w === 0 ? { team } : {},
          namespaceLabels: w === 0 ? {} : { team },
        },
      });
      const image = `registry.test/app-${w}:1.${w}`;
      const container = await db.container.create({ data: { workloadId: workload.id, name: "main", image, factsHash: `${n}` } });
      for (let i = 0; i < 9; i++) {
        n += 1;
        const checkId = CHECKS[i % CHECKS.length] ?? "x";
        const severity = SEVERITIES[(i + w) % SEVERITIES.length] ?? "low";
        const status = STATUSES[(Math.floor(i / 3) + w) % STATUSES.length] ?? "open";
        const firstSeenAt = BASE_TIME + ((n * 7919) % 1000) * 60_000;
        const row = await db.finding.create({
          data: {
            containerId: container.id,
            checkId,
            status,
            severity,
            message: `finding ${n}`,
            firstSeenAt: new Date(firstSeenAt),
          },
        });
        inserted.push({ id: row.id, checkId, severity, status, target: targetName, namespace, workload: workload.name, image, team, firstSeenAt });
      }
    }
  }
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function expected(filter: Omit<ViolationFilter, "page">): Inserted[] {
  return inserted
    .filter((r) => r.status === (filter.status ?? "open"))
    .filter((r) => !filter.severity || r.severity === filter.severity)
    .filter((r) => !filter.checkId || r.checkId === filter.checkId)
    .filter((r) => !filter.target || r.target === filter.target)
    .filter((r) => !filter.platform || (r.target === "host-b" ? "docker" : "kubernetes") === filter.platform)
    .filter((r) => filter.namespace === undefined || r.namespace === filter.namespace)
    .filter((r) => !filter.team || r.team === filter.team)
    .filter((r) => !filter.since || r.firstSeenAt >= Date.parse(filter.since))
    .filter((r) => !filter.workload || r.workload.includes(filter.workload))
    .filter((r) => !filter.image || r.image.includes(filter.image))
    .filter((r) => !filter.label || `team=${r.team}` === filter.label)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.firstSeenAt - a.firstSeenAt || a.id.localeCompare(b.id));
}

beforeAll(async () => {
  await seed(database.db);
});

describe("listViolations filters", () => {
  const cases: Omit<ViolationFilter, "page">[] = [
    {},
    { status: "excepted" },
    { status: "resolved", severity: "high" },
    { checkId: "run-as-non-root", target: "cluster-a" },
    { namespace: "ns-1" },
    { platform: "docker" },
    { platform: "kubernetes", checkId: "run-as-non-root" },
    { workload: "app-2", image: ":1.2" },
    { label: "team=storefront" },
    { label: "team=payments", status: "excepted" },
    { team: "storefront" },
    { team: "payments", target: "cluster-a", status: "resolved" },
    { since: new Date(BASE_TIME + 500 * 60_000).toISOString() },
    { since: new Date(BASE_TIME + 300 * 60_000).toISOString(), team: "storefront", severity: "critical" },
  ];
  for (const filter of cases) {
    it(`returns exactly the matching findings, most severe and newest first: ${JSON.stringify(filter)}`, async () => {
      const want = expected(filter);
      const page = await listViolations({ access: WHOLE_FLEET, ...filter, page: 1, pageSize: 500 });
      expect(want.length).toBeGreaterThan(0);
      expect(page.total).toBe(want.length);
      expect(page.rows.map((r) => r.id)).toEqual(want.map((r) => r.id));
      expect(page.rows.every((r) => r.isExcepted === (r.status === "excepted"))).toBe(true);
    });
  }

  it("counts per severity under every filter but severity", async () => {
    const page = await listViolations({ access: WHOLE_FLEET, severity: "low", target: "host-b", page: 1 });
    for (const severity of SEVERITIES) {
      expect(page.bySeverity[severity]).toBe(expected({ target: "host-b", severity }).length);
    }
  });
});

describe("listViolations sorting, paging and grouping", () => {
  it("pages through the same order the full list has, and clamps a page past the end", async () => {
    const all = await listViolations({ access: WHOLE_FLEET, page: 1, pageSize: 500 });
    const pages = [1, 2, 3, 4].map((page) => listViolations({ access: WHOLE_FLEET, page, pageSize: 7 }));
    const ids = (await Promise.all(pages)).flatMap((p) => p.rows.map((r) => r.id));
    expect(ids).toEqual(all.rows.map((r) => r.id).slice(0, 28));
    const last = await listViolations({ access: WHOLE_FLEET, page: 999, pageSize: 7 });
    expect(last.page).toBe(Math.ceil(all.total / 7));
  });

  it("sorts by check both ways and by first seen", async () => {
    const asc = await selectViolationRows({ access: WHOLE_FLEET, page: 1, sort: "check", dir: "asc" }, 0, 500);
    expect(asc.map((r) => r.checkId)).toEqual([...asc.map((r) => r.checkId)].sort());
    const desc = await selectViolationRows({ access: WHOLE_FLEET, page: 1, sort: "check", dir: "desc" }, 0, 500);
    expect(desc.map((r) => r.checkId)).toEqual([...asc.map((r) => r.checkId)].sort().reverse());
    const newest = await selectViolationRows({ access: WHOLE_FLEET, page: 1, sort: "first-seen" }, 0, 500);
    const times = newest.map((r) => Date.parse(r.firstSeenAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("groups by workload: rows of a workload together, with totals over every page", async () => {
    const page = await listViolations({ access: WHOLE_FLEET, page: 1, pageSize: 5, group: "workload" });
    const keys = page.rows.map((r) => r.workloadId);
    expect(keys).toEqual([...keys].sort((a, b) => keys.indexOf(a) - keys.indexOf(b)));
    for (const group of page.groups) {
      const name = page.rows.find((r) => r.workloadId === group.key);
      const want = expected({}).filter((r) => name && r.workload === name.workloadName && r.target === name.targetName);
      expect(group.total).toBe(want.length);
    }
    const byCheck = await listViolations({ access: WHOLE_FLEET, page: 1, pageSize: 500, group: "check" });
    expect(byCheck.groups.map((g) => [g.key, g.total])).toEqual(
      [...new Set(expected({}).map((r) => r.checkId))].sort().map((c) => [c, expected({ checkId: c }).length]),
    );
  });
});
