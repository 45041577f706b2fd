// Scanner reports the benchmarks share: one Trivy report per image digest, its findings drawn from a fixed pool.
import { readReports, type ScanReport } from "@/lib/reports";

/** The digest of bench image `n` (1-based). */
export const benchDigest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

/**
 * A Trivy report of image `i` (digest benchDigest(i + 1)): `vulns` findings drawn from a pool of 5,000 ids, a
 * quarter of each severity, two thirds fixable, one in five in an application package.
 */
export function benchReport(i: number, vulns: number): ScanReport {
  const finding = (v: number) => ({
    VulnerabilityID: `CVE-2099-${((i * 7 + v * 13) % 5000).toString().padStart(4, "0")}`,
    PkgName: `pkg-${v}`,
    InstalledVersion: "1.0",
    FixedVersion: v % 3 === 0 ? "" : "1.1",
    Severity: ["LOW", "MEDIUM", "HIGH", "CRITICAL"][v % 4],
    Title: `bench vulnerability ${v}`,
  });
  const all = Array.from({ length: vulns }, (_, v) => v);
  const doc = {
    SchemaVersion: 2,
    CreatedAt: new Date().toISOString(),
    ArtifactName: `registry.bench/app-${i}:1`,
    ArtifactType: "container_image",
    Metadata: { ImageID: benchDigest(i + 1) },
    Results: [
      {
        Target: "os",
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: all.filter((v) => v % 5 !== 0).map(finding),
      },
      {
        Target: "app/requirements.txt",
        Class: "lang-pkgs",
        Type: "pip",
        Vulnerabilities: all.filter((v) => v % 5 === 0).map(finding),
      },
    ],
  };
  return readReports(`bench-${i}.json`, JSON.stringify(doc))[0]!;
}
