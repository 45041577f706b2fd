import type { ExceptionRow } from "@/lib/data/exceptions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { exceptionScopeText } from "@/lib/format/exception-scope";

type FormAction = (data: FormData) => Promise<void>;

const DAY_MS = 86_400_000;

const scopeOf = exceptionScopeText;

/** An exception is named by what it covers: its check and its scope. */
export function exceptionName(row: ExceptionRow): string {
  return `${row.checkTitle} (${row.checkId}), ${scopeOf(row)}`;
}

function dayAfter(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

function Actions({ row, revoke, extend }: { row: ExceptionRow; revoke: FormAction; extend: FormAction }) {
  const name = exceptionName(row);
  return (
    <div className="flex flex-wrap items-end gap-2">
      <form action={extend} className="flex items-end gap-1">
        <input type="hidden" name="exceptionId" value={row.id} />
        <label className="text-xs text-slate-700">
          New expiry
          <input
            type="date"
            name="expiresAt"
            required
            min={dayAfter(row.expiresAt, 1)}
            title="Only a later day than the current expiry"
            defaultValue={dayAfter(row.expiresAt, 30)}
            className="mt-0.5 block rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
          />
        </label>
        <Button type="submit" size="sm" variant="secondary" aria-label={`Extend exception for ${name}`}>
          Extend
        </Button>
      </form>
      <details className="relative">
        <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-200 bg-white px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50">
          Revoke…
        </summary>
        <form
          action={revoke}
          className="absolute right-0 z-10 mt-1 w-64 space-y-2 rounded-md border border-red-200 bg-white p-3 text-xs shadow-lg"
        >
          <input type="hidden" name="exceptionId" value={row.id} />
          <p>
            Revoke the exception for <strong>{name}</strong>? Its {row.exceptedFindings} excepted finding
            {row.exceptedFindings === 1 ? "" : "s"} open again and count in scores.
          </p>
          <Button size="sm" variant="danger" aria-label={`Confirm revoking exception for ${name}`}>
            Revoke
          </Button>
        </form>
      </details>
    </div>
  );
}

export function ExceptionsTable(props: {
  rows: ExceptionRow[];
  caption: string;
  actions?: { revoke: FormAction; extend: FormAction };
}) {
  const { rows, caption, actions } = props;
  return (
    <Table caption={caption}>
      <thead>
        <tr>
          <Th>Check</Th>
          <Th>Scope</Th>
          <Th>Reason</Th>
          <Th>Owner</Th>
          <Th>Expires</Th>
          <Th>Excepted findings</Th>
          {actions ? <Th>Actions</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.id}>
            <Td label="Check">
              {row.checkTitle}
              <div className="font-mono text-xs text-slate-600">{row.checkId}</div>
            </Td>
            <Td label="Scope" className="max-w-xs min-w-32 text-xs wrap-anywhere">
              {scopeOf(row)}
            </Td>
            <Td label="Reason" className="max-w-sm">
              {row.reason}
              <div className="text-xs text-slate-600">by {row.createdBy}</div>
              {row.fileKey !== null ? (
                <div className="mt-1" title="Managed by rampart exceptions apply: change it in the file">
                  <Badge tone="sky">from file: {row.fileKey}</Badge>
                </div>
              ) : null}
            </Td>
            <Td label="Owner">{row.owner}</Td>
            <Td label="Expires">
              <Time value={row.expiresAt} />
              {row.revokedAt ? (
                <div className="mt-1 text-xs text-slate-600">
                  <Badge tone="slate">revoked</Badge> <Time value={row.revokedAt} />
                  {row.revokedBy ? ` by ${row.revokedBy}` : null}
                </div>
              ) : null}
            </Td>
            <Td label="Excepted findings">{row.exceptedFindings}</Td>
            {actions ? (
              <Td>
                {row.fileKey !== null ? (
                  <span className="text-xs text-slate-600">Change it in the file</span>
                ) : !row.isWithinAccess ? (
                  <span className="text-xs text-slate-600">Reaches beyond what you may see</span>
                ) : (
                  <Actions row={row} revoke={actions.revoke} extend={actions.extend} />
                )}
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
