import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";

export interface DockerTlsPem {
  ca?: string;
  cert?: string;
  key?: string;
}

export const MAX_PEM_BYTES = 64_000;

/** Field → message, for a form; empty when the material can be used. Never quotes the PEM text. */
export type TlsProblems = Partial<Record<keyof DockerTlsPem, string>>;

function readCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

function certificateProblem(pem: string, what: string): string | undefined {
  if (pem.length > MAX_PEM_BYTES) return `the ${what} is larger than ${MAX_PEM_BYTES / 1000} kB`;
  try {
    if (readCertificates(pem).length === 0) return `the ${what} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`;
  } catch {
    return `the ${what} holds a certificate block that cannot be read`;
  }
  return undefined;
}

function readKey(pem: string): KeyObject | string {
  if (pem.length > MAX_PEM_BYTES) return `the key is larger than ${MAX_PEM_BYTES / 1000} kB`;
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem))
    return "the key is not a PEM private key (-----BEGIN … PRIVATE KEY-----)";
  if (/ENCRYPTED/.test(pem)) return "the key is encrypted with a passphrase; upload it unencrypted";
  try {
    return createPrivateKey({ key: pem, format: "pem" });
  } catch {
    return "the key cannot be read as a PEM private key";
  }
}

/**
 * Checks uploaded TLS material of a Docker target at once: the CA and certificate parse as X.509, the key parses,
 * and the key belongs to the certificate. A client certificate needs its key and the other way round.
 */
export function checkDockerTlsPem(pem: DockerTlsPem): TlsProblems {
  const problems: TlsProblems = {};
  if (pem.ca) {
    const problem = certificateProblem(pem.ca, "CA certificate");
    if (problem) problems.ca = problem;
  }
  if (pem.cert && !pem.key) problems.key = "a client certificate needs its key";
  if (pem.key && !pem.cert) problems.cert = "a client key needs its certificate";
  const certProblem = pem.cert ? certificateProblem(pem.cert, "client certificate") : undefined;
  if (certProblem) problems.cert = certProblem;
  const key = pem.key ? readKey(pem.key) : undefined;
  if (typeof key === "string") problems.key = key;
  if (pem.cert && !certProblem && key && typeof key !== "string") {
    const [certificate] = readCertificates(pem.cert);
    if (certificate && !certificate.checkPrivateKey(key))
      problems.key = "the key does not belong to the client certificate";
  }
  return problems;
}
