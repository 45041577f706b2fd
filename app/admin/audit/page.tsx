import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { getDb } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { AUDIT_PAGE_SIZE, auditFilterSchema, listAuditEntries } from "@/lib/services/audit";
import { AuditDetail, describeAuditAction } from "./audit-entry";
import { Time } from "@/components/ui/time";

export const metadata: Metadata = { title: "Audit log" };

const INPUT = "mt-1 block rounded-md border border-slate-300 px-2 py-1 text-sm";

type Params = Record<string, string | string[] | undefined>;

function firstValues(params: Params): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) values[key] = first;
  }
  return values;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireRole("admin");
  const values = firstValues(await searchParams);
  const parsed = auditFilterSchema.safeParse(values);
  const filter = parsed.success ? parsed.data : auditFilterSchema.parse({});
  const { rows, total } = await listAuditEntries(getDb(), filter);
  const next = new URLSearchParams({ ...values, page: String(filter.page + 1) });
  return (
    <>
      <PageHeader title="Audit log" description={`${total} entries match. Who did what, when, and from where.`} />
      <form method="get" aria-label="Filter the audit log" className="mb-4 flex flex-wrap items-end gap-3">
        {(["actor", "action", "target"] as const).map((name) => (
          <label key={name} className="text-sm">
            <span className="font-medium text-slate-700 capitalize">{name}</span>
            <input name={name} defaultValue={filter[name] ?? ""} className={INPUT} />
          </label>
        ))}
        <label className="text-sm">
          <span className="font-medium text-slate-700">Since</span>
          <input name="since" type="date" defaultValue={filter.since ?? ""} className={INPUT} />
        </label>
        <label className="text-sm">
          <span className="font-medium text-slate-700">Until</span>
          <input name="until" type="date" defaultValue={filter.until ?? ""} className={INPUT} />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {parsed.success ? null : (
        <p role="alert" className="mb-2 text-sm text-red-700">
          Some filters were invalid and were ignored.
        </p>
      )}
      <Table caption="Audit log">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Who</Th>
            <Th>What</Th>
            <Th>On</Th>
            <Th>Detail</Th>
            <Th>From</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id}>
              <Td label="When" className="whitespace-nowrap">
                <Time value={row.at} />
              </Td>
              <Td label="Who">{row.actor}</Td>
              <Td label="What">
                {describeAuditAction(row.action)}
                <div className="font-mono text-xs text-slate-500">{row.action}</div>
              </Td>
              <Td label="On" className="break-all">
                {row.target ?? ""}
              </Td>
              <Td label="Detail">
                <AuditDetail detail={row.detail} />
              </Td>
              <Td label="From">{row.source ?? ""}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {filter.page * AUDIT_PAGE_SIZE < total ? (
        <a className="mt-3 inline-block text-sm underline" href={`/admin/audit?${next.toString()}`}>
          Older entries
        </a>
      ) : null}
    </>
  );
}
