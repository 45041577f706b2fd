/** Test fixtures only: report files written for real or made-up digests (the readers are proven on the corpus). */

export interface FixtureVulnerability {
  id: string;
  pkg: string;
  severity: string;
  version?: string;
  fixed?: string;
  /** `lang-pkgs` of this type instead of the OS packages. */
  app?: string;
}

export interface FixtureSecret {
  ruleId: string;
  file: string;
  layer?: string;
  title?: string;
  /** Planted text a reader must drop (Trivy's Match and Code fields). */
  planted?: string;
}

/** A Trivy JSON report (SchemaVersion 2) of one image. */
export function trivyJson(input: {
  imageId?: string;
  repoDigests?: string[];
  artifact?: string;
  createdAt?: string;
  vulnerabilities?: FixtureVulnerability[];
  secrets?: FixtureSecret[];
}): string {
  const vulns = input.vulnerabilities ?? [];
  const finding = (v: FixtureVulnerability) => ({
    VulnerabilityID: v.id,
    PkgName: v.pkg,
    InstalledVersion: v.version ?? "1.0",
    ...(v.fixed ? { FixedVersion: v.fixed } : {}),
    Severity: v.severity,
  });
  const apps = [...new Set(vulns.flatMap((v) => (v.app ? [v.app] : [])))];
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: input.createdAt ?? new Date().toISOString(),
    ArtifactName: input.artifact ?? "registry.test/app:1",
    ArtifactType: "container_image",
    Metadata: {
      ...(input.imageId ? { ImageID: input.imageId } : {}),
      RepoDigests: input.repoDigests ?? [],
    },
    Results: [
      {
        Target: "app (debian 12)",
        Class: "os-pkgs",
        Type: "debian",
        Vulnerabilities: vulns.filter((v) => !v.app).map(finding),
      },
      ...apps.map((type) => ({
        Target: `app/${type}`,
        Class: "lang-pkgs",
        Type: type,
        Vulnerabilities: vulns.filter((v) => v.app === type).map(finding),
      })),
      ...(input.secrets ?? []).map((s) => ({
        Target: s.file,
        Class: "secret",
        Secrets: [
          {
            RuleID: s.ruleId,
            Category: "secret",
            Severity: "CRITICAL",
            Title: s.title ?? `Secret matched by ${s.ruleId}`,
            StartLine: 1,
            EndLine: 1,
            Match: s.planted ?? "AWS_ACCESS_KEY_ID=****",
            Code: { Lines: [{ Number: 1, Content: s.planted ?? "****" }] },
            ...(s.layer ? { Layer: { Digest: s.layer } } : {}),
          },
        ],
      })),
    ],
  });
}

/** An OpenVEX v0.2.0 document: `not_affected` for one vulnerability in the images with these digests. */
export function openVexJson(
  vulnerability: string,
  imageDigests: string[],
  justification = "vulnerable_code_not_in_execute_path",
): string {
  return JSON.stringify({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": `https://vex.test/${vulnerability}/${imageDigests.join(",")}`,
    author: "security@test",
    timestamp: new Date().toISOString(),
    version: 1,
    statements: [
      {
        vulnerability: { name: vulnerability },
        products: imageDigests.map((d) => ({ "@id": `pkg:oci/app@${d.replace(":", "%3A")}` })),
        status: "not_affected",
        justification,
      },
    ],
  });
}
