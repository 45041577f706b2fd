import Link from "next/link";
import { Fragment } from "react";
import {
  DEFAULT_SORT,
  defaultDirection,
  violationsHref,
  type SortDirection,
  type ViolationQuery,
  type ViolationSort,
} from "@/lib/scope/violation-query";
import type { ViolationGroup, ViolationRow } from "@/lib/data/violations";
import { SEVERITIES } from "@/lib/domain/severity";
import { Badge } from "@/components/ui/badge";
import { Checkbox } from "@/components/ui/checkbox";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { SeverityBadge } from "./severity-badge";
import { visibleText } from "@/lib/format/visible-text";

export const ACCEPT_RISK_FORM = "accept-risk-form";

function SortHeader({ query, sort, children }: { query: ViolationQuery; sort: ViolationSort; children: string }) {
  const current = query.sort ?? DEFAULT_SORT;
  const isActive = current === sort;
  const dir = query.dir ?? defaultDirection(current);
  const nextDir: SortDirection = isActive ? (dir === "asc" ? "desc" : "asc") : defaultDirection(sort);
  // Severity ascends by rank (critical first), which reads as "descending" to a person.
  const ariaSort = !isActive
    ? undefined
    : (sort === "severity" ? dir === "desc" : dir === "asc")
      ? "ascending"
      : "descending";
  return (
    <Th aria-sort={ariaSort}>
      <Link
        href={violationsHref({ ...query, sort, dir: nextDir, page: 1 })}
        className="inline-flex items-center gap-1 hover:text-slate-900 hover:underline"
      >
        {children}
        <span aria-hidden="true">{isActive ? (ariaSort === "ascending" ? "▲" : "▼") : ""}</span>
      </Link>
    </Th>
  );
}

function GroupHeader({ group, columns }: { group: ViolationGroup; columns: number }) {
  return (
    <tr className="bg-slate-100">
      <th scope="rowgroup" colSpan={columns} className="px-3 py-2 text-left text-sm font-semibold text-slate-800">
        {group.label}
        <span className="ml-2 text-xs font-normal text-slate-600">
          {group.total} finding{group.total === 1 ? "" : "s"}:{" "}
          {SEVERITIES.filter((s) => group.bySeverity[s] > 0)
            .map((s) => `${group.bySeverity[s]} ${s}`)
            .join(", ")}
        </span>
      </th>
    </tr>
  );
}

function FindingRow({ row, canSelect }: { row: ViolationRow; canSelect: boolean }) {
  return (
    <tr>
      {canSelect ? (
        <Td>
          {row.status === "open" ? (
            <Checkbox
              form={ACCEPT_RISK_FORM}
              name="findingId"
              value={row.id}
              label={`Select ${row.checkId} on ${visibleText(`${row.workloadName}/${row.containerName}`)}`}
            />
          ) : null}
        </Td>
      ) : null}
      <Td label="Severity">
        <SeverityBadge severity={row.severity} />
        {row.isExcepted ? (
          <span className="ml-1">
            <Badge>excepted</Badge>
          </span>
        ) : row.status === "resolved" ? (
          <span className="ml-1">
            <Badge tone="green">resolved</Badge>
          </span>
        ) : null}
      </Td>
      <Td label="Check" className="font-mono text-xs">
        <Link href={`/r/${row.id}`} className="text-sky-800 hover:underline">
          {row.checkId}
        </Link>
      </Td>
      <Td label="Target" className="break-words">
        {visibleText(row.targetName)}
      </Td>
      <Td label="Workload" className="max-w-64 break-words">
        {row.namespace ? <span className="text-slate-600">{visibleText(row.namespace)}/</span> : null}
        <Link href={`/workloads/${row.workloadId}`} className="hover:underline">
          {visibleText(row.workloadName)}
        </Link>
        <div className="text-xs text-slate-600">
          {row.workloadKind} · container <span data-cell="container">{visibleText(row.containerName)}</span>
        </div>
        <div className="max-w-56 truncate text-xs text-slate-600" title={visibleText(row.image)}>
          {visibleText(row.image)}
        </div>
      </Td>
      <Td label="Finding" className="min-w-48">
        {visibleText(row.message)}
        {row.fieldPath ? <div className="font-mono text-xs break-all text-slate-600">{row.fieldPath}</div> : null}
      </Td>
      <Td label="First seen" className="text-xs">
        <Time value={row.firstSeenAt} />
      </Td>
    </tr>
  );
}

export function ViolationsTable(props: {
  rows: ViolationRow[];
  groups: ViolationGroup[];
  query: ViolationQuery;
  canSelect: boolean;
}) {
  const { rows, groups, query, canSelect } = props;
  const groupKey = (row: ViolationRow) =>
    query.group === "workload" ? row.workloadId : query.group === "check" ? row.checkId : "";
  const columns = canSelect ? 7 : 6;
  return (
    <Table caption={`Findings, ${query.status ?? "open"}`}>
      <thead>
        <tr>
          {canSelect ? (
            <Th>
              <span className="sr-only">Select</span>
            </Th>
          ) : null}
          <SortHeader query={query} sort="severity">
            Severity
          </SortHeader>
          <SortHeader query={query} sort="check">
            Check
          </SortHeader>
          <SortHeader query={query} sort="target">
            Target
          </SortHeader>
          <SortHeader query={query} sort="workload">
            Workload and container
          </SortHeader>
          <Th>Finding</Th>
          <SortHeader query={query} sort="first-seen">
            First seen
          </SortHeader>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row, index) => {
          const key = groupKey(row);
          const group =
            query.group && (index === 0 || groupKey(rows[index - 1] as ViolationRow) !== key)
              ? groups.find((g) => g.key === key)
              : undefined;
          return (
            <Fragment key={row.id}>
              {group ? <GroupHeader group={group} columns={columns} /> : null}
              <FindingRow row={row} canSelect={canSelect} />
            </Fragment>
          );
        })}
      </tbody>
    </Table>
  );
}
