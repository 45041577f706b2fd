import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "@/lib/db";
import type { ScanReport } from "@/lib/reports";
import { recordAudit } from "@/lib/services/audit";
import { toStorable } from "@/lib/services/runs/storable-text";

export type IngestVia = "cli" | "api" | "upload" | "cluster";

export interface IngestOptions {
  via: IngestVia;
  /** The cluster a trivy-operator report was read from (label matching then applies there only). */
  targetId?: string;
  now?: Date;
  /** Who sent the reports (audited), and from where. */
  actor?: { email: string; source?: string | null };
}

export interface IngestedReport {
  id: string;
  contentHash: string;
  /** `stored`: new and current; `older`: new but a newer report of the same kind already covers it; `unchanged`: already held. */
  status: "stored" | "older" | "unchanged";
  vulnerabilities: number;
  secrets: number;
  statements: number;
}

const clip = (text: string | null, max: number) => (text === null ? null : text.slice(0, max));

/** Reports per transaction, and vulnerability rows: a few statements each, whatever the batch's size. */
const CHUNK_REPORTS = 200;
const CHUNK_VULNERABILITIES = 30_000;

/**
 * Stores reports, each once by content hash, a chunk at a time in one transaction of a few multi-row statements: a
 * chunk is stored whole or not at all. A new report supersedes the current reports of its kind that share one of its
 * digests (or its trivy-operator subject) and are older; if one of them is newer, the new report is stored already
 * superseded. Results are in the order given.
 */
export async function ingestReports(db: Db, reports: ScanReport[], options: IngestOptions): Promise<IngestedReport[]> {
  const results: IngestedReport[] = [];
  for (const chunk of chunks(reports.map((r) => toStorable(r).value)))
    results.push(...(await ingestChunk(db, chunk, options)));
  if (options.actor && results.length > 0) {
    await recordAudit(db, {
      actor: options.actor.email,
      action: "reports.ingested",
      target: results.length === 1 ? (results[0]?.id ?? null) : `${results.length} reports`,
      detail: {
        via: options.via,
        stored: results.filter((r) => r.status !== "unchanged").length,
        unchanged: results.filter((r) => r.status === "unchanged").length,
      },
      source: options.actor.source ?? null,
    });
  }
  return results;
}

function* chunks(reports: ScanReport[]): Generator<ScanReport[]> {
  let chunk: ScanReport[] = [];
  let rows = 0;
  for (const report of reports) {
    if (
      chunk.length > 0 &&
      (chunk.length >= CHUNK_REPORTS || rows + report.vulnerabilities.length > CHUNK_VULNERABILITIES)
    ) {
      yield chunk;
      chunk = [];
      rows = 0;
    }
    chunk.push(report);
    rows += report.vulnerabilities.length;
  }
  if (chunk.length > 0) yield chunk;
}

const countsOf = (report: ScanReport) => ({
  vulnerabilities: report.vulnerabilities.length,
  secrets: report.secrets.length,
  statements: report.statements.length,
});

/**
 * A chunk of reports for images that run moves the vulnerability reach of their containers when it commits
 * (VulnerabilityReach, a deferred trigger): more than Prisma's default 5 s on a big fleet under load.
 */
const INGEST_TRANSACTION = { maxWait: 10_000, timeout: 120_000 };

async function ingestChunk(db: Db, chunk: ScanReport[], options: IngestOptions): Promise<IngestedReport[]> {
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const held = await tx.$queryRaw<{ id: string; contentHash: string }[]>(Prisma.sql`
      SELECT "id", "contentHash" FROM "ScanReport" WHERE "contentHash" = ANY(${chunk.map((r) => r.contentHash)}::text[])`);
    const ids = new Map(held.map((r) => [r.contentHash, r.id]));
    const fresh: { report: ScanReport; id: string }[] = [];
    const firsts = new Set<number>();
    for (const [i, report] of chunk.entries()) {
      if (ids.has(report.contentHash)) continue;
      const id = randomUUID();
      ids.set(report.contentHash, id);
      fresh.push({ report, id });
      firsts.add(i);
    }
    // Another ingest may have stored one of them meanwhile: it stays theirs, and is "unchanged" here.
    const inserted = new Set(await insertReports(tx, fresh, options, now));
    const stored = fresh.filter((f) => inserted.has(f.id));
    for (const f of fresh) if (!inserted.has(f.id)) ids.delete(f.report.contentHash);
    const missing = chunk.filter((r) => !ids.has(r.contentHash)).map((r) => r.contentHash);
    if (missing.length > 0) {
      const theirs = await tx.$queryRaw<{ id: string; contentHash: string }[]>(Prisma.sql`
        SELECT "id", "contentHash" FROM "ScanReport" WHERE "contentHash" = ANY(${missing}::text[])`);
      for (const r of theirs) ids.set(r.contentHash, r.id);
    }
    await insertChildren(tx, stored);
    const older = new Set(
      await supersede(
        tx,
        stored.map((f) => f.id),
        now,
      ),
    );
    return chunk.map((report, i) => {
      const id = ids.get(report.contentHash) ?? "";
      const mine = inserted.has(id) && firsts.has(i);
      const status = !mine ? "unchanged" : older.has(id) ? "older" : "stored";
      return { id, contentHash: report.contentHash, status, ...countsOf(report) } as IngestedReport;
    });
  }, INGEST_TRANSACTION);
}

type Tx = Prisma.TransactionClient;

/** One INSERT for the chunk's new reports; returns the ids it stored. */
async function insertReports(
  tx: Tx,
  fresh: { report: ScanReport; id: string }[],
  options: IngestOptions,
  now: Date,
): Promise<string[]> {
  if (fresh.length === 0) return [];
  const column = <T>(pick: (r: ScanReport) => T) => fresh.map((f) => pick(f.report));
  const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    INSERT INTO "ScanReport" ("id", "contentHash", "format", "scanner", "scannerVersion", "scannedAt", "receivedAt",
      "via", "artifact", "targetId", "subjectNamespace", "subjectKind", "subjectName", "subjectContainer",
      "scansVulnerabilities", "scansSecrets", "secrets")
    SELECT r.id, r.hash, r.format, r.scanner, r.version, r.scanned, ${now.toISOString()}::timestamp(3), ${options.via},
      r.artifact, ${options.targetId ?? null}::uuid, r.ns, r.kind, r.name, r.container, r.vulns, r.secret, r.secrets::jsonb
    FROM unnest(${fresh.map((f) => f.id)}::uuid[], ${column((r) => r.contentHash)}::text[],
      ${column((r) => r.format)}::text[], ${column((r) => r.scanner.slice(0, 200))}::text[],
      ${column((r) => clip(r.scannerVersion, 100))}::text[],
      ${column((r) => (r.scannedAt ? new Date(r.scannedAt) : now).toISOString())}::timestamp(3)[],
      ${column((r) => r.artifact.slice(0, 1000))}::text[], ${column((r) => r.subject?.namespace ?? null)}::text[],
      ${column((r) => r.subject?.kind ?? null)}::text[], ${column((r) => r.subject?.name ?? null)}::text[],
      ${column((r) => r.subject?.container ?? null)}::text[], ${column((r) => r.scanned.vulnerabilities)}::boolean[],
      ${column((r) => r.scanned.secrets)}::boolean[],
      ${column((r) => JSON.stringify(r.secrets.map((s) => ({ ...s, title: clip(s.title, 200), file: s.file.slice(0, 1000) }))))}::text[])
      AS r(id, hash, format, scanner, version, scanned, artifact, ns, kind, name, container, vulns, secret, secrets)
    ON CONFLICT ("contentHash") DO NOTHING
    RETURNING "id"`);
  return rows.map((r) => r.id);
}

/** Digests, vulnerabilities and VEX statements of the stored reports: one INSERT each. */
async function insertChildren(tx: Tx, stored: { report: ScanReport; id: string }[]): Promise<void> {
  const digests = stored.flatMap(({ report, id }) =>
    [...new Map(report.digests.map((d) => [d.digest, d.kind]))].map(([digest, kind]) => ({ id, digest, kind })),
  );
  if (digests.length > 0)
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "ReportDigest" ("reportId", "digest", "kind")
      SELECT * FROM unnest(${digests.map((d) => d.id)}::uuid[], ${digests.map((d) => d.digest)}::text[],
        ${digests.map((d) => d.kind)}::text[])`);
  const vulns = stored.flatMap(({ report, id }) => report.vulnerabilities.map((v) => ({ id, v })));
  if (vulns.length > 0) {
    const column = <T>(pick: (v: ScanReport["vulnerabilities"][number]) => T) => vulns.map((x) => pick(x.v));
    await tx.$executeRaw(Prisma.sql`
      INSERT INTO "ReportVulnerability" ("reportId", "vulnerabilityId", "package", "version", "packageType",
        "packageClass", "severity", "fixedVersion", "fixable", "title", "link", "epss", "knownExploited")
      SELECT * FROM unnest(${vulns.map((x) => x.id)}::uuid[], ${column((v) => v.id.slice(0, 200))}::text[],
        ${column((v) => v.package.slice(0, 500))}::text[], ${column((v) => v.version.slice(0, 200))}::text[],
        ${column((v) => v.packageType.slice(0, 50))}::text[], ${column((v) => v.class)}::text[],
        ${column((v) => v.severity)}::text[], ${column((v) => clip(v.fixedVersion, 200))}::text[],
        ${column((v) => v.fixable)}::boolean[], ${column((v) => clip(v.title, 300))}::text[],
        ${column((v) => clip(v.link, 500))}::text[], ${column((v) => v.epss)}::float8[],
        ${column((v) => v.knownExploited)}::boolean[])
      ON CONFLICT DO NOTHING`);
  }
  const statements = stored.flatMap(({ report, id }) => report.statements.map((s) => ({ id, s })));
  if (statements.length > 0)
    await tx.vexStatement.createMany({
      data: statements.map(({ id, s }) => ({
        reportId: id,
        vulnerabilityId: s.vulnerability.slice(0, 200),
        status: s.status,
        justification: clip(s.justification, 1000),
        products: s.products,
        packages: s.packages.map((p) => p.slice(0, 500)),
      })),
    });
}

/** Which of the two kinds of current report a row is (VEX documents are neither and replace nothing). */
const KIND = (r: string) =>
  Prisma.raw(`CASE WHEN ${r}."scansVulnerabilities" THEN 1 WHEN ${r}."scansSecrets" THEN 2 END`);

/**
 * Marks superseded every current report that a report of the same kind and image beats: newer by scan time, or as
 * new and ingested later (new after held, then in the order given). Returns the ids it marked.
 */
async function supersede(tx: Tx, fresh: string[], now: Date): Promise<string[]> {
  if (fresh.length === 0) return [];
  const rows = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`
    WITH n AS (SELECT * FROM "ScanReport" WHERE "id" = ANY(${fresh}::uuid[])),
    pairs AS (
      SELECT n."id" AS a, o."reportId" AS b FROM n
        JOIN "ReportDigest" d ON d."reportId" = n."id"
        JOIN "ReportDigest" o ON o."digest" = d."digest" AND o."reportId" <> n."id"
      UNION
      SELECT n."id", o."id" FROM n JOIN "ScanReport" o ON n."subjectName" IS NOT NULL
        AND o."subjectName" = n."subjectName" AND o."subjectNamespace" = n."subjectNamespace"
        AND o."subjectKind" = n."subjectKind" AND o."subjectContainer" = n."subjectContainer"
        AND o."targetId" IS NOT DISTINCT FROM n."targetId" AND o."id" <> n."id"),
    losers AS (
      SELECT CASE WHEN a."scannedAt" > b."scannedAt" OR (a."scannedAt" = b."scannedAt"
          AND array_position(${fresh}::uuid[], a."id") > COALESCE(array_position(${fresh}::uuid[], b."id"), 0))
        THEN b."id" ELSE a."id" END AS id
      FROM pairs p JOIN "ScanReport" a ON a."id" = p.a JOIN "ScanReport" b ON b."id" = p.b
      WHERE b."supersededAt" IS NULL AND ${KIND("a")} = ${KIND("b")})
    UPDATE "ScanReport" r SET "supersededAt" = ${now.toISOString()}::timestamp(3)
    FROM (SELECT DISTINCT id FROM losers) l WHERE r."id" = l.id AND r."supersededAt" IS NULL
    RETURNING r."id"`);
  return rows.map((r) => r.id);
}
