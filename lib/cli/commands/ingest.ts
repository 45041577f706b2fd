import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { createDb } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/database-url";
import { migrate } from "@/lib/db/migrate";
import { listInputFiles } from "@/lib/manifests/list-files";
import { readCapped, readReportFiles, ReportError } from "@/lib/reports";
import { ingestReports } from "@/lib/services/reports";

export const USAGE = `Usage: rampart ingest <files|dirs|-…> [--url URL [--token TOKEN]]

Stores scanner reports so that checks 9–11 judge the images they name: Trivy JSON or CycloneDX, Grype JSON,
trivy-operator VulnerabilityReport/ExposedSecretReport, OpenVEX, CycloneDX VEX. "-" reads standard input;
directories contribute their .json/.yaml/.yml files. A report already held is left as it is.

Without --url the reports go into DATABASE_URL, or the embedded database under RAMPART_DATA_DIR when unset.
With --url they are posted to a running server (POST /api/v1/reports) with an API token of the engineer role:
--token, or RAMPART_TOKEN (preferred: a flag is visible to other users of the machine).

  trivy image -f json app:1 | rampart ingest - --url https://rampart.example

Exit codes: 0 every report stored or already held, 1 some could not be read or stored, 2 usage error.
`;

interface IngestArgs {
  paths: string[];
  url?: string;
  token?: string;
}

function parseIngestArgs(argv: string[]): IngestArgs | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { url: { type: "string" }, token: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return null;
  if (positionals.length === 0) throw new Error("no files, directories or - given");
  const token = values.token ?? process.env.RAMPART_TOKEN;
  if (values.url !== undefined && !/^https?:\/\/[^\s/]+/.test(values.url))
    throw new Error("--url must be an http(s) URL");
  if (values.url !== undefined && !token) throw new Error("--url needs --token or RAMPART_TOKEN");
  return { paths: positionals, ...(values.url ? { url: values.url } : {}), ...(token ? { token } : {}) };
}

export async function run(argv: string[]): Promise<number> {
  let args: IngestArgs | null;
  try {
    args = parseIngestArgs(argv);
  } catch (error) {
    process.stderr.write(`rampart ingest: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args === null) {
    process.stdout.write(USAGE);
    return 0;
  }
  return args.url ? postToServer(args.paths, args.url, args.token ?? "") : ingestLocally(args.paths);
}

function line(file: string, r: { status: string; vulnerabilities: number; secrets: number; statements: number }) {
  return `${file}: ${r.status} (${r.vulnerabilities} vulnerabilities, ${r.secrets} secrets, ${r.statements} VEX statements)\n`;
}

async function ingestLocally(paths: string[]): Promise<number> {
  const { reports, errors } = await readReportFiles(paths);
  for (const error of errors) process.stderr.write(`rampart ingest: ${error.message}\n`);
  if (reports.length === 0) return errors.length > 0 ? 1 : 0;
  const database = await resolveDatabaseUrl();
  const db = createDb(database.url);
  try {
    await migrate(database.url);
    const stored = await ingestReports(
      db,
      reports.map((r) => r.report),
      { via: "cli", actor: { email: "cli" } },
    );
    stored.forEach((r, i) => process.stdout.write(line(reports[i]?.file ?? "", r)));
    return errors.length > 0 ? 1 : 0;
  } catch (error) {
    process.stderr.write(`rampart ingest: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.$disconnect();
    await database.embedded?.stop();
  }
}

/** One POST per file; the server reads and stores it whole or answers why not. */
async function postToServer(paths: string[], url: string, token: string): Promise<number> {
  const listed = await listInputFiles(paths.filter((p) => p !== "-"));
  let failed = listed.errors.length;
  for (const error of listed.errors) process.stderr.write(`rampart ingest: ${error.source}: ${error.message}\n`);
  const files = paths.includes("-") ? ["-", ...listed.files] : listed.files;
  const endpoint = new URL("/api/v1/reports", url);
  for (const file of files) {
    const name = file === "-" ? "(standard input)" : file;
    try {
      const body = await readCapped(file === "-" ? process.stdin : createReadStream(file), name);
      const response = await fetch(endpoint, {
        method: "POST",
        body,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        redirect: "error",
      });
      const answer = (await response.json().catch(() => ({}))) as {
        error?: string;
        reports?: Parameters<typeof line>[1][];
      };
      if (!response.ok) throw new Error(`${response.status} ${answer.error ?? response.statusText}`.slice(0, 300));
      for (const r of answer.reports ?? []) process.stdout.write(line(name, r));
    } catch (error) {
      failed++;
      const message = error instanceof ReportError ? error.message : `${name}: ${(error as Error).message}`;
      process.stderr.write(`rampart ingest: ${message}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
