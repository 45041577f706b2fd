import { Button } from "@/components/ui/button";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { AcceptedVulnerabilityRow } from "@/lib/data/accepted-vulnerabilities";
import { visibleText } from "@/lib/format/visible-text";

function scopeOf(row: AcceptedVulnerabilityRow): string {
  const parts = [
    row.image ? `image ${row.image}` : null,
    row.namespace ? `namespace ${row.namespace}` : null,
    row.workload ? `workload ${row.workload}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "everywhere";
}

/** Active vulnerability exceptions; `revoke` (security role and above) asks to confirm first. */
export function AcceptedVulnerabilitiesTable(props: {
  rows: AcceptedVulnerabilityRow[];
  revoke?: (data: FormData) => Promise<void>;
}) {
  return (
    <Table caption="Accepted vulnerabilities">
      <thead>
        <tr>
          <Th>Vulnerability</Th>
          <Th>Scope</Th>
          <Th>Reason</Th>
          <Th>Owner</Th>
          <Th>Expires</Th>
          {props.revoke ? <Th>Actions</Th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {props.rows.map((row) => {
          const id = visibleText(row.vulnerabilityId);
          return (
            <tr key={row.id}>
              <Td label="Vulnerability" className="font-mono text-xs break-all">
                {id}
              </Td>
              <Td label="Scope" className="text-xs break-all">
                {visibleText(scopeOf(row))}
              </Td>
              <Td label="Reason" className="text-xs break-words whitespace-pre-line">
                {visibleText(row.reason, { multiline: true })}
                <span className="block text-slate-500">
                  by {visibleText(row.createdBy)}, <Time value={row.createdAt} />
                </span>
              </Td>
              <Td label="Owner">{visibleText(row.owner)}</Td>
              <Td label="Expires">
                <Time value={row.expiresAt} />
              </Td>
              {props.revoke ? (
                <Td label="Actions">
                  <details className="relative">
                    <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-200 bg-white px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50">
                      Revoke…
                    </summary>
                    <form
                      action={props.revoke}
                      className="absolute right-0 z-10 mt-1 w-64 space-y-2 rounded-md border border-red-200 bg-white p-3 text-xs shadow-lg"
                    >
                      <input type="hidden" name="exceptionId" value={row.id} />
                      <p>
                        Revoke the accepted risk of <strong>{id}</strong>? It counts as open again from the next poll.
                      </p>
                      <Button size="sm" variant="danger" aria-label={`Confirm revoking ${id}`}>
                        Revoke
                      </Button>
                    </form>
                  </details>
                </Td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
