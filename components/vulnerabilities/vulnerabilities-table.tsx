import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { visibleText } from "@/lib/format/visible-text";
import type { FleetVulnerabilityRow } from "@/lib/data/vulnerabilities";
import type { VulnerabilityImage } from "@/lib/data/vulnerability-images";
import { ImageLink } from "@/components/images/image-link";
import { ExceptedNote } from "./excepted-note";
import { SeverityTag, safeLink } from "./severity-tag";

const CLASS_LABEL = { os: "OS", application: "app" } as const;

function Reach({ row }: { row: FleetVulnerabilityRow }) {
  if (row.openWorkloads === row.workloads) return <>{row.workloads}</>;
  return (
    <span title={`${row.workloads - row.openWorkloads} excepted`}>
      {row.openWorkloads} <span className="text-slate-500">of {row.workloads}</span>
    </span>
  );
}

/** The images a row runs in, each linked to its page. */
function Images({ images }: { images: VulnerabilityImage[] | undefined }) {
  if (!images?.length) return null;
  return (
    <span className="mt-1 block text-slate-600">
      in{" "}
      {images.map((image, i) => (
        <span key={image.digest}>
          {i > 0 ? ", " : null}
          <ImageLink digest={image.digest} text={visibleText(image.image)} />
        </span>
      ))}
    </span>
  );
}

/**
 * `accept` renders the row's accept-risk control (security role and above); without it the table is read-only.
 * `images` names a few running images of each vulnerability id.
 */
export function VulnerabilitiesTable(props: {
  rows: FleetVulnerabilityRow[];
  images?: ReadonlyMap<string, VulnerabilityImage[]>;
  accept?: (row: FleetVulnerabilityRow) => ReactNode;
}) {
  return (
    <Table caption="Vulnerabilities in running containers">
      <thead>
        <tr>
          <Th>Vulnerability</Th>
          <Th>Severity</Th>
          <Th>Package</Th>
          <Th>Fix</Th>
          <Th className="text-right">Open workloads</Th>
          <Th>Status</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {props.rows.map((row) => {
          const id = visibleText(row.vulnerabilityId);
          const link = safeLink(row.link);
          return (
            <tr key={row.vulnerabilityId} className={row.openWorkloads === 0 ? "bg-slate-50" : undefined}>
              <Td label="Vulnerability" className="font-mono text-xs break-all">
                {link ? (
                  <a href={link} rel="noreferrer noopener" target="_blank" className="underline">
                    {id}
                  </a>
                ) : (
                  id
                )}
                {row.knownExploited ? (
                  <span className="ml-2">
                    <Badge tone="red">known exploited</Badge>
                  </span>
                ) : null}
              </Td>
              <Td label="Severity">
                <SeverityTag severity={row.severity} />
              </Td>
              <Td label="Package" className="text-xs break-all">
                <span className="font-mono">{row.packages.map((p) => visibleText(p)).join(", ")}</span>{" "}
                <span className="text-slate-500">({row.packageClasses.map((c) => CLASS_LABEL[c]).join(", ")})</span>
                <Images images={props.images?.get(row.vulnerabilityId)} />
              </Td>
              <Td label="Fix">
                {row.fixable ? (
                  <span>
                    yes
                    {row.fixedVersion ? (
                      <span className="font-mono text-xs">, {visibleText(row.fixedVersion)}</span>
                    ) : null}
                  </span>
                ) : (
                  <span className="text-slate-500">no</span>
                )}
              </Td>
              <Td label="Open workloads" className="text-right tabular-nums">
                <Reach row={row} />
              </Td>
              <Td label="Status">
                <div className="flex flex-col items-start gap-1">
                  {row.exceptedBy ? <ExceptedNote by={row.exceptedBy} /> : <Badge tone="orange">open</Badge>}
                  {row.exceptedBy && row.openWorkloads > 0 ? (
                    <span className="text-xs text-slate-600">
                      in {row.workloads - row.openWorkloads} of {row.workloads} workloads; open in the others
                    </span>
                  ) : null}
                  {props.accept ? props.accept(row) : null}
                </div>
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
