import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import type { ImageView } from "@/lib/data/image";
import { visibleText } from "@/lib/format/visible-text";

const KIND_LABEL = { config: "config (image ID)", manifest: "platform manifest", repository: "repository" } as const;

/** The digests the image is known by and the reports held for it, each with its age against the limit. */
export function ImageSummary({ image }: { image: ImageView }) {
  return (
    <>
      <section aria-labelledby="digests" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="digests" className="text-xs font-semibold tracking-wide text-slate-600 uppercase">
          Digests
        </h2>
        <ul className="mt-2 space-y-1 text-sm text-slate-700">
          {image.digests.map((d) => (
            <li key={d.digest} className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-mono text-xs break-all">{d.digest}</span>
              <span className="text-xs text-slate-600">
                {[...d.kinds.map((k) => KIND_LABEL[k]), ...(d.isOnContainer ? ["on running containers"] : [])].join(
                  ", ",
                ) || "asked for; no report or container names it"}
              </span>
            </li>
          ))}
        </ul>
        {image.names.length > 0 ? (
          <p className="mt-2 text-sm break-all text-slate-700">
            Known as {image.names.map((n) => visibleText(n)).join(", ")}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="reports" className="mb-6">
        <h2 id="reports" className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          Reports held
        </h2>
        {image.reports.length === 0 ? (
          <p className="text-sm text-slate-600">
            No scanner report names this image. Upload one on the{" "}
            <a href="/vulnerabilities" className="underline">
              Vulnerabilities
            </a>{" "}
            page or send it with <span className="font-mono">rampart ingest</span>.
          </p>
        ) : (
          <Table caption="Reports held for this image">
            <thead>
              <tr>
                <Th>Scanner</Th>
                <Th>Scanned</Th>
                <Th>Found</Th>
                <Th>Matched by</Th>
                <Th>State</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {image.reports.map((r) => (
                <tr key={r.id}>
                  <Td label="Scanner">
                    {visibleText(r.scanner)} {r.scannerVersion ? visibleText(r.scannerVersion) : null}
                    <span className="block text-xs text-slate-600">
                      {r.format}, via {r.via}
                    </span>
                  </Td>
                  <Td label="Scanned">
                    <Time value={r.scannedAt.toISOString()} />
                  </Td>
                  <Td label="Found" className="tabular-nums">
                    {[
                      r.scansVulnerabilities
                        ? `${r.vulnerabilities} vulnerabilit${r.vulnerabilities === 1 ? "y" : "ies"}`
                        : null,
                      r.scansSecrets ? `${r.secrets} secret${r.secrets === 1 ? "" : "s"}` : null,
                    ]
                      .filter(Boolean)
                      .join(", ") || "statements only"}
                  </Td>
                  <Td label="Matched by" className="text-xs">
                    {r.matchedKind ? KIND_LABEL[r.matchedKind] : "statement product"}{" "}
                    <span className="font-mono break-all">{r.matchedDigest}</span>
                  </Td>
                  <Td label="State">
                    {r.isSuperseded ? (
                      <Badge tone="slate">superseded</Badge>
                    ) : r.isStale ? (
                      <Badge tone="amber">older than {image.maxReportAgeDays} days</Badge>
                    ) : (
                      <Badge tone="green">current</Badge>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </section>
    </>
  );
}
