import Link from "next/link";
import { DEFAULT_MAX_REPORT_AGE_DAYS } from "@/lib/checks/support/reports";
import { Snippet } from "./remediation-example";

const CI_SNIPPET = `# After pushing the image (scan the pushed digest: reports are matched by digest, not by tag).
# RAMPART_TOKEN: an API token of the engineer role; RAMPART_URL: the dashboard's address.
trivy image --scanners vuln,secret --format json --output trivy.json "$IMAGE"
npx rampart ingest trivy.json --url "$RAMPART_URL"

# or with Grype, from standard input
grype "$IMAGE" -o json | npx rampart ingest - --url "$RAMPART_URL"`;

/** How to feed a check judged from the scanner reports users already produce (checks 9–11). */
export function ReportSources() {
  return (
    <div className="space-y-3 text-sm text-slate-800">
      <p>
        Rampart does not scan images itself: it reads the reports of the scanners you already run and matches them to
        running containers by image digest (config, platform manifest or repository digest; trivy-operator reports by
        their workload labels). A container whose newest matching report is older than {DEFAULT_MAX_REPORT_AGE_DAYS}{" "}
        days counts as not scanned.
      </p>
      <ul className="list-disc space-y-1 pl-5">
        <li>Trivy JSON or CycloneDX, and Grype JSON: from CI, by the command below or the upload.</li>
        <li>
          trivy-operator VulnerabilityReport and ExposedSecretReport: read from each cluster on every poll when the
          operator is installed (the shipped ClusterRole grants <code>get</code>/<code>list</code> on them).
        </li>
        <li>OpenVEX and CycloneDX VEX: statements that a vulnerability does not affect an image set it aside.</li>
      </ul>
      <Snippet title="In CI" text={CI_SNIPPET} />
      <p>
        Or upload report files on the <Link href="/vulnerabilities">Vulnerabilities</Link> page, or post them to{" "}
        <code>POST /api/v1/reports</code>. A new report re-judges the containers running that image on the next poll.
      </p>
    </div>
  );
}
