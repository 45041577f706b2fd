import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTlsFiles, type TlsFiles } from "@/e2e/support/tls-certs";
import { checkDockerTlsPem } from "./tls-pem";

let dirs: string[] = [];
let first: TlsFiles;
let second: TlsFiles;

beforeAll(async () => {
  dirs = await Promise.all([0, 1].map(() => mkdtemp(path.join(tmpdir(), "rampart-pem-"))));
  [first, second] = (await Promise.all(dirs.map((dir) => makeTlsFiles(dir)))) as [TlsFiles, TlsFiles];
});
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("checkDockerTlsPem", () => {
  it("accepts a CA, a client certificate and its own key", () => {
    expect(checkDockerTlsPem({ ca: first.ca, cert: first.clientCert, key: first.clientKey })).toEqual({});
  });

  it("refuses a key that belongs to another certificate", () => {
    expect(checkDockerTlsPem({ ca: first.ca, cert: first.clientCert, key: second.clientKey })).toEqual({
      key: "the key does not belong to the client certificate",
    });
  });

  it("says which field is not PEM, without quoting it", () => {
    const problems = checkDockerTlsPem({ ca: "/etc/docker/ca.pem", cert: first.clientKey, key: first.clientCert });
    expect(problems).toEqual({
      ca: "the CA certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
      cert: "the client certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----)",
      key: "the key is not a PEM private key (-----BEGIN … PRIVATE KEY-----)",
    });
    expect(JSON.stringify(problems)).not.toContain("/etc/docker");
  });

  it("refuses a damaged certificate block and a certificate without its key", () => {
    const damaged = first.clientCert.replace(/\n[A-Za-z0-9+/]{20}/, "\nAAAAAAAAAAAAAAAAAAAA");
    expect(checkDockerTlsPem({ cert: damaged, key: first.clientKey }).cert).toMatch(/cannot be read|does not belong/);
    expect(checkDockerTlsPem({ cert: first.clientCert })).toEqual({ key: "a client certificate needs its key" });
  });
});
