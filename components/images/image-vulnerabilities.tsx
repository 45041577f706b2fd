import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ExceptedNote } from "@/components/vulnerabilities/excepted-note";
import { SeverityTag, safeLink } from "@/components/vulnerabilities/severity-tag";
import type { ImageVulnerabilityRow } from "@/lib/data/image-vulnerabilities";
import { visibleText } from "@/lib/format/visible-text";

const CLASS_LABEL = { os: "OS package", application: "application dependency" } as const;

/** Rows arrive ordered by package; consecutive rows of one package and version form its group. */
function byPackage(rows: ImageVulnerabilityRow[]): ImageVulnerabilityRow[][] {
  const groups: ImageVulnerabilityRow[][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last?.[0]?.package === row.package && last[0].version === row.version) last.push(row);
    else groups.push([row]);
  }
  return groups;
}

function Status({
  row,
  accept,
}: {
  row: ImageVulnerabilityRow;
  accept?: ((row: ImageVulnerabilityRow) => ReactNode) | undefined;
}) {
  return (
    <div className="flex flex-col items-start gap-1">
      {row.exceptedBy ? <ExceptedNote by={row.exceptedBy} /> : <Badge tone="orange">open</Badge>}
      {row.exceptedBy && row.isOpen ? (
        <span className="text-xs text-slate-600">
          open in {row.openWorkloads} of {row.workloads} workloads
        </span>
      ) : null}
      {accept && row.isOpen ? accept(row) : null}
    </div>
  );
}

/**
 * Packages → vulnerabilities → fixed versions, each package a list; known-exploited and most severe first, open
 * or excepted as on /vulnerabilities. `accept` renders an open row's accept-risk control (security role).
 */
export function ImageVulnerabilities(props: {
  rows: ImageVulnerabilityRow[];
  total: number;
  scanned: boolean;
  accept?: (row: ImageVulnerabilityRow) => ReactNode;
}) {
  const { rows, total } = props;
  const groups = byPackage(rows);
  return (
    <section aria-labelledby="packages" className="mb-6">
      <h2 id="packages" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
        Packages and vulnerabilities
      </h2>
      {!props.scanned ? (
        <p className="text-sm text-slate-600">No current report scanned this image for vulnerabilities.</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-600">The current reports list no vulnerability.</p>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-600">
            {total} vulnerabilit{total === 1 ? "y" : "ies"} in {groups.length}
            {rows.length < total ? "+" : ""} package{groups.length === 1 ? "" : "s"}
            {rows.length < total ? `, the first ${rows.length} shown` : ""}.
          </p>
          <ul className="space-y-3">
            {groups.map((group) => {
              const first = group[0]!;
              return (
                <li
                  key={`${first.package} ${first.version}`}
                  className="rounded-lg border border-slate-200 bg-white"
                  aria-label={`${first.package} ${first.version}`}
                >
                  <h3 className="flex flex-wrap items-baseline gap-x-2 border-b border-slate-100 px-3 py-2 text-sm">
                    <span className="font-mono font-semibold break-all text-slate-900">
                      {visibleText(first.package)}
                    </span>
                    <span className="font-mono text-xs break-all text-slate-700">{visibleText(first.version)}</span>
                    <span className="text-xs text-slate-600">
                      {CLASS_LABEL[first.packageClass]}
                      {first.packageType && first.packageType !== first.packageClass
                        ? ` (${visibleText(first.packageType)})`
                        : null}
                    </span>
                  </h3>
                  <ul className="divide-y divide-slate-100">
                    {group.map((row) => (
                      <VulnerabilityItem key={row.vulnerabilityId} row={row} accept={props.accept} />
                    ))}
                  </ul>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

function VulnerabilityItem({
  row,
  accept,
}: {
  row: ImageVulnerabilityRow;
  accept?: ((row: ImageVulnerabilityRow) => ReactNode) | undefined;
}) {
  const id = visibleText(row.vulnerabilityId);
  const link = safeLink(row.link);
  return (
    <li
      className={`grid gap-2 px-3 py-2 text-sm sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1.4fr)] ${row.isOpen ? "" : "bg-slate-50"}`}
    >
      <div className="min-w-0">
        <span className="font-mono text-xs break-all">
          {link ? (
            <a href={link} rel="noreferrer noopener" target="_blank" className="underline">
              {id}
            </a>
          ) : (
            id
          )}
        </span>{" "}
        <SeverityTag severity={row.severity} />
        {row.knownExploited ? (
          <span className="ml-1">
            <Badge tone="red">known exploited</Badge>
          </span>
        ) : null}
        {row.title ? <span className="block text-xs break-words text-slate-600">{visibleText(row.title)}</span> : null}
      </div>
      <div className="min-w-0 text-xs text-slate-700">
        {row.fixable && row.fixedVersion ? (
          <>
            fixed in <span className="font-mono break-all">{visibleText(row.fixedVersion)}</span>
          </>
        ) : (
          <span className="text-slate-500">no fix known</span>
        )}
      </div>
      <Status row={row} accept={accept} />
    </li>
  );
}
