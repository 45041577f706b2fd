import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readReportFiles } from "./files";
import { isFixableHighOrCritical, type ScanReport } from "./model";
import { MAX_REPORT_BYTES, readCapped, readReports } from "./read";

const CORPUS = path.resolve(__dirname, "../../../shared/corpus/reports");
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function raw(file: string): Promise<Raw> {
  const text = await readFile(path.join(CORPUS, file), "utf8");
  return file.endsWith(".yaml") ? parseYaml(text) : JSON.parse(text);
}

async function read(file: string): Promise<ScanReport> {
  const reports = readReports(file, await readFile(path.join(CORPUS, file), "utf8"));
  expect(reports).toHaveLength(1);
  return reports[0]!;
}

const unique = (keys: string[]) => new Set(keys).size;
const HIGH = new Set(["HIGH", "CRITICAL"]);

describe("every corpus report is read, counts taken from the files themselves", () => {
  it("reads or refuses every file in the corpus, none silently", async () => {
    const dirs = await readdir(CORPUS, { withFileTypes: true });
    const files = dirs.filter((d) => d.isDirectory()).map((d) => d.name);
    const { reports, errors } = await readReportFiles(files.map((d) => path.join(CORPUS, d)));
    expect(errors.map((e) => [path.basename(e.file), e.field])).toEqual([
      ["configauditreport_single_vuln.json", "kind"],
    ]);
    expect(reports).toHaveLength(15);
  });

  it.each(["trivy/alpine-310-registry.json", "trivy/alpine-310.json", "trivy/fluentd-gems.json", "trivy/secrets.json"])(
    "Trivy JSON %s",
    async (file) => {
      const doc = await raw(file);
      const report = await read(file);
      const vulns = doc.Results.flatMap((r: Raw) =>
        (r.Vulnerabilities ?? []).map((v: Raw) => ({ ...v, Class: r.Class })),
      );
      expect(report.vulnerabilities).toHaveLength(
        unique(vulns.map((v: Raw) => `${v.VulnerabilityID}/${v.PkgName}/${v.InstalledVersion}`)),
      );
      expect(report.vulnerabilities.filter((v) => v.class === "os")).toHaveLength(
        vulns.filter((v: Raw) => v.Class === "os-pkgs").length,
      );
      expect(report.vulnerabilities.filter(isFixableHighOrCritical)).toHaveLength(
        vulns.filter((v: Raw) => v.FixedVersion && HIGH.has(v.Severity)).length,
      );
      const secrets = doc.Results.flatMap((r: Raw) => r.Secrets ?? []);
      expect(report.secrets.map((s) => s.ruleId)).toEqual(secrets.map((s: Raw) => s.RuleID));
      const digests = [doc.Metadata?.ImageID, ...(doc.Metadata?.RepoDigests ?? []).map((r: string) => r.split("@")[1])];
      expect(report.digests.map((d) => d.digest)).toEqual(digests.filter(Boolean));
      expect(report.scannedAt).toBe(new Date(doc.CreatedAt).toISOString());
    },
  );

  it("Trivy JSON keeps a comma list of fixed versions and the lang-pkgs class", async () => {
    const report = await read("trivy/fluentd-gems.json");
    const gem = report.vulnerabilities.find((v) => v.package === "activesupport");
    expect(gem).toMatchObject({ class: "application", packageType: "gemspec", fixedVersion: "6.0.3.1, 5.2.4.3" });
    expect(report.vulnerabilities.find((v) => v.package === "libidn2-0")).toMatchObject({
      class: "os",
      severity: "CRITICAL",
    });
  });

  it.each(["grype/json-image.json", "grype/check_all_fields.json", "grype/many_vulns_with_epss_values.json"])(
    "Grype JSON %s",
    async (file) => {
      const doc = await raw(file);
      const report = await read(file);
      const matches = doc.matches as Raw[];
      expect(report.vulnerabilities).toHaveLength(
        unique(matches.map((m) => `${m.vulnerability.id}/${m.artifact.name}/${m.artifact.version}`)),
      );
      const fixable = matches.filter(
        (m) => m.vulnerability.fix?.state === "fixed" && m.vulnerability.fix.versions.length > 0,
      );
      expect(report.vulnerabilities.filter((v) => v.fixable)).toHaveLength(
        unique(fixable.map((m) => `${m.vulnerability.id}/${m.artifact.name}/${m.artifact.version}`)),
      );
      const t = doc.source.target;
      const digests = [t.imageID, t.manifestDigest, ...t.repoDigests.map((r: string) => r.split("@")[1])];
      expect(report.digests.map((d) => d.digest)).toEqual(digests);
      expect(report.digests.map((d) => d.kind)).toEqual([
        "config",
        "manifest",
        ...t.repoDigests.map(() => "repository"),
      ]);
      const os = matches.filter((m) => ["apk", "deb", "rpm"].includes(m.artifact.type));
      expect(report.vulnerabilities.filter((v) => v.class === "os").length).toBe(
        unique(os.map((m) => `${m.vulnerability.id}/${m.artifact.name}/${m.artifact.version}`)),
      );
    },
  );

  it("Grype Negligible is LOW and EPSS is kept", async () => {
    const report = await read("grype/check_all_fields.json");
    expect(report.vulnerabilities.find((v) => v.id === "CVE-2004-0971")?.severity).toBe("LOW");
    const epss = await read("grype/many_vulns_with_epss_values.json");
    expect(epss.vulnerabilities.find((v) => v.id === "CVE-2022-28391")?.epss).toBe(0.0719);
  });

  it("Trivy CycloneDX: one vulnerability per affected component, digests from properties", async () => {
    const file = "trivy/fluentd-multiple-lockfiles.cdx.json";
    const doc = await raw(file);
    const report = await read(file);
    expect(report.format).toBe("cyclonedx");
    expect(report.vulnerabilities).toHaveLength(doc.vulnerabilities.flatMap((v: Raw) => v.affects).length);
    const imageId = doc.metadata.component.properties.find((p: Raw) => p.name === "aquasecurity:trivy:ImageID").value;
    expect(report.digests).toEqual([{ kind: "config", digest: imageId }]);
    expect(report.vulnerabilities.find((v) => v.package === "libidn2-0")).toMatchObject({
      class: "os",
      fixedVersion: "2.0.5-1+deb10u1",
      fixable: true,
    });
    expect(report.vulnerabilities.find((v) => v.package === "activesupport")?.class).toBe("application");
  });

  it.each([
    "trivy-operator/vulnerabilityreport_single_vuln.json",
    "trivy-operator/vulnerabilityreport_no_vuln.json",
    "trivy-operator/vulnerability-ttl.yaml",
    "trivy-operator/exposedsecretreport_single_vuln.json",
  ])("trivy-operator %s", async (file) => {
    const doc = await raw(file);
    const report = await read(file);
    expect(report.vulnerabilities).toHaveLength((doc.report.vulnerabilities ?? []).length);
    expect(report.secrets).toHaveLength((doc.report.secrets ?? []).length);
    const labels = doc.metadata.labels;
    expect(report.subject).toEqual({
      namespace: labels["trivy-operator.resource.namespace"],
      kind: labels["trivy-operator.resource.kind"],
      name: labels["trivy-operator.resource.name"],
      container: labels["trivy-operator.container.name"],
    });
    expect(report.digests).toEqual([]);
  });

  it("trivy-operator: a Go module without a class is an application package", async () => {
    const report = await read("trivy-operator/vulnerability-ttl.yaml");
    expect(report.vulnerabilities[0]).toMatchObject({ class: "application", fixable: true, severity: "HIGH" });
    expect(report.scannedAt).toBe("2022-12-08T15:50:37.000Z");
  });

  it.each(["vex/openvex-oci-attach.json", "vex/openvex-oci.json"])("OpenVEX %s", async (file) => {
    const doc = await raw(file);
    const report = await read(file);
    expect(report.statements.map((s) => [s.vulnerability, s.status])).toEqual(
      doc.statements.map((s: Raw) => [s.vulnerability.name, s.status]),
    );
    const digests = doc.statements.flatMap((s: Raw) =>
      s.products.map((p: Raw) => /sha256%3A([0-9a-f]{64})/.exec(p["@id"])?.[1]).filter(Boolean),
    );
    expect(report.statements.flatMap((s) => s.products)).toEqual(digests.map((d: string) => `sha256:${d}`));
  });

  it("CycloneDX VEX: analysis states become statements", async () => {
    const doc = await raw("vex/cyclonedx-vex.json");
    const report = await read("vex/cyclonedx-vex.json");
    expect(report.format).toBe("cyclonedx-vex");
    expect(report.vulnerabilities).toEqual([]);
    expect(report.statements.map((s) => [s.vulnerability, s.justification])).toEqual(
      doc.vulnerabilities.map((v: Raw) => [v.id, v.analysis.justification ?? null]),
    );
    expect(report.statements[1]?.packages[0]).toContain("libstdc++6");
  });

  it("the same report read twice has the same content hash; another has another", async () => {
    const a = await read("trivy/alpine-310.json");
    const b = await read("trivy/alpine-310.json");
    const c = await read("trivy/alpine-310-registry.json");
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.contentHash).not.toBe(c.contentHash);
  });
});

describe("hostile reports", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "rampart-reports-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("refuses an unknown schema version, naming file and field", async () => {
    const doc = await raw("trivy/alpine-310.json");
    expect(() => readReports("x.json", JSON.stringify({ ...doc, SchemaVersion: 3 }))).toThrow(
      "x.json: SchemaVersion: unsupported schema version 3",
    );
    const cdx = await raw("trivy/fluentd-multiple-lockfiles.cdx.json");
    expect(() => readReports("c.json", JSON.stringify({ ...cdx, specVersion: "2.0" }))).toThrow("c.json: specVersion:");
    const vex = await raw("vex/openvex-oci.json");
    expect(() => readReports("v.json", JSON.stringify({ ...vex, "@context": "https://openvex.dev/ns/v9" }))).toThrow(
      "v.json: @context: unsupported OpenVEX version v9",
    );
  });

  it("refuses a truncated file", async () => {
    const text = await readFile(path.join(CORPUS, "trivy/alpine-310.json"), "utf8");
    expect(() => readReports("cut.json", text.slice(0, text.length / 2))).toThrow(/^cut\.json: not valid JSON/);
  });

  it("never echoes the file's text in a JSON syntax error", () => {
    for (const text of ["[sk_live_secretvalue]", "[1, hunter2]"]) {
      expect(() => readReports("s.json", text)).toThrow(/^s\.json: not valid JSON \(Unexpected token/);
      expect(() => readReports("s.json", text)).not.toThrow(/sk_live|hunter2/);
    }
  });

  it("names the field of a wrong type", async () => {
    const doc = await raw("trivy/alpine-310.json");
    doc.Results[0].Vulnerabilities[1].Severity = 5;
    expect(() => readReports("t.json", JSON.stringify(doc))).toThrow(
      "t.json: Results[0].Vulnerabilities[1].Severity: expected string, got number",
    );
    const grype = await raw("grype/check_all_fields.json");
    grype.matches[2].artifact = "deb";
    expect(() => readReports("g.json", JSON.stringify(grype))).toThrow(
      "g.json: matches[2].artifact: expected object, got string",
    );
    grype.matches[2] = { ...(await raw("grype/check_all_fields.json")).matches[2] };
    grype.source.target.imageID = "sha256:07a3eb7aaaaaaaaa69f29";
    expect(() => readReports("g.json", JSON.stringify(grype))).toThrow(
      "g.json: source.target.imageID: not a valid digest",
    );
  });

  it("refuses a 100 MB report while reading it, and still reads the other files", async () => {
    const big = path.join(dir, "big.json");
    const line = JSON.stringify({ VulnerabilityID: "CVE-0000-0000", PkgName: "x".repeat(1000) });
    const count = Math.ceil((100 * 1024 * 1024) / line.length);
    await writeFile(big, `{"SchemaVersion":2,"Results":[{"Vulnerabilities":[${Array(count).fill(line).join(",")}]}]}`);
    const good = path.join(CORPUS, "trivy/alpine-310.json");
    const { reports, errors } = await readReportFiles([big, good]);
    expect(errors.map((e) => e.message)).toEqual([`${big}: larger than ${MAX_REPORT_BYTES} bytes`]);
    expect(reports.map((r) => r.file)).toEqual([good]);
  });

  it("stops reading a stream at the cap", async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024 * 1024, 32);
      }
    }
    await expect(readCapped(endless(), "-", 4 * 1024 * 1024)).rejects.toThrow("-: larger than 4194304 bytes");
    expect(pulled).toBe(5);
  });

  it("reads standard input", async () => {
    const text = await readFile(path.join(CORPUS, "grype/json-image.json"));
    const { reports } = await readReportFiles(["-"], Readable.from([text]));
    expect(reports[0]?.report.format).toBe("grype-json");
  });

  it("keeps rule, file and layer of a secret, never its matched text", async () => {
    const doc = await raw("trivy/secrets.json");
    const planted = "PLANTED-SECRET-9f8e7d6c5b4a";
    doc.Results[0].Secrets[0].Match = `token = ${planted}`;
    doc.Results[0].Secrets[0].Code.Lines[0].Content = planted;
    doc.Results[0].Secrets[0].Layer = { Digest: `sha256:${"a".repeat(64)}` };
    const [report] = readReports("s.json", JSON.stringify(doc));
    expect(report?.secrets[0]).toMatchObject({
      ruleId: doc.Results[0].Secrets[0].RuleID,
      file: "deploy.sh",
      layer: `sha256:${"a".repeat(64)}`,
    });
    expect(JSON.stringify(report)).not.toContain(planted);
    expect(JSON.stringify(report)).not.toContain("ghp_0123456789");
  });
});
