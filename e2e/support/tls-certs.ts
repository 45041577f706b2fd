import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface TlsFiles {
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  ca: string;
  clientCert: string;
  clientKey: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  await run("openssl", args, { cwd: dir });
}

async function signed(dir: string, name: string, subject: string, extensions: string): Promise<void> {
  await writeText(path.join(dir, `${name}.ext`), extensions);
  await openssl(dir, [
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    `${name}-key.pem`,
    "-subj",
    subject,
    "-out",
    `${name}.csr`,
  ]);
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca-key.pem",
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.pem`,
  ]);
}

async function writeText(file: string, text: string): Promise<void> {
  const { writeFile } = await import("node:fs/promises");
  await writeFile(file, text, { mode: 0o600 });
}

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
export async function makeTlsFiles(dir: string): Promise<TlsFiles> {
  await openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca-key.pem",
    "-subj",
    "/CN=rampart-test-ca",
    "-days",
    "2",
    "-out",
    "ca.pem",
  ]);
  await signed(
    dir,
    "server",
    "/CN=127.0.0.1",
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
  );
  await signed(dir, "client", "/CN=rampart-client", "extendedKeyUsage=clientAuth\n");
  const file = (name: string) => path.join(dir, name);
  return {
    caFile: file("ca.pem"),
    serverCertFile: file("server.pem"),
    serverKeyFile: file("server-key.pem"),
    clientCertFile: file("client.pem"),
    clientKeyFile: file("client-key.pem"),
    ca: await readFile(file("ca.pem"), "utf8"),
    clientCert: await readFile(file("client.pem"), "utf8"),
    clientKey: await readFile(file("client-key.pem"), "utf8"),
  };
}
