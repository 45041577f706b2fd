import type { ExceptionRow } from "@/lib/data/exceptions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { visibleText } from "@/lib/format/visible-text";

type FormAction = (data: FormData) => Promise<void>;

function scopeOf(row: ExceptionRow): string {
  const parts = [
    row.targetName ?? (row.targetId ? "deleted target" : null),
    row.namespace,
    row.workload,
    row.container,
    row.image,
  ].filter(Boolean);
  return parts.length > 0 ? visibleText(parts.join(" · ")) : "everywhere";
}

function nextMonth(iso: string): string {
  const base = Math.max(Date.parse(iso), Date.now());
  return new Date(base + 30 * 86_400_000).toISOString().slice(0, 10);
}

function Actions({ row, revoke, extend }: { row: ExceptionRow; revoke: FormAction; extend: FormAction }) {
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
            defaultValue={nextMonth(row.expiresAt)}
            className="mt-0.5 block rounded border border-slate-300 px-1 py-0.5 text-xs"
          />
        </label>
        <Button
          type="submit"
          size="sm"
          variant="secondary"
          aria-label={`Extend exception for ${row.checkId}, ${scopeOf(row)}`}
        >
          Extend
        </Button>
      </form>
      <form action={revoke}>
        <input type="hidden" name="exceptionId" value={row.id} />
        <Button
          type="submit"
          size="sm"
          variant="danger"
          aria-label={`Revoke exception for ${row.checkId}, ${scopeOf(row)}`}
        >
          Revoke
        </Button>
      </form>
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
            <Td className="font-mono text-xs whitespace-nowrap">{row.checkId}</Td>
            <Td className="max-w-xs text-xs break-all">{scopeOf(row)}</Td>
            <Td className="max-w-sm">
              {row.reason}
              <div className="text-xs text-slate-600">by {row.createdBy}</div>
              {row.fileKey !== null ? (
                <div className="mt-1" title="Managed by rampart exceptions apply: change it in the file">
                  <Badge tone="sky">from file: {row.fileKey}</Badge>
                </div>
              ) : null}
            </Td>
            <Td>{row.owner}</Td>
            <Td>
              <Time value={row.expiresAt} />
              {row.revokedAt ? (
                <div className="mt-1">
                  <Badge tone="slate">revoked</Badge>
                </div>
              ) : null}
            </Td>
            <Td>{row.exceptedFindings}</Td>
            {actions ? (
              <Td>
                {row.fileKey === null ? (
                  <Actions row={row} revoke={actions.revoke} extend={actions.extend} />
                ) : (
                  <span className="text-xs text-slate-600">Change it in the file</span>
                )}
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
