import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ServerTls {
  /** PEM of the CA that signed `cert`: what clients trust. */
  ca: string;
  cert: string;
  key: string;
}

/** A throw-away CA and a server certificate for 127.0.0.1, ::1 and localhost, made with openssl. */
export async function generateServerTls(commonName = "rampart-simulator"): Promise<ServerTls> {
  const dir = await mkdtemp(path.join(tmpdir(), "rampart-sim-tls-"));
  const file = (name: string) => path.join(dir, name);
  try {
    const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    await run("openssl", [
      "req",
      "-x509",
      ...ecKey,
      "-keyout",
      file("ca.key"),
      "-out",
      file("ca.crt"),
      "-days",
      "7",
      "-subj",
      `/CN=${commonName}-ca`,
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    await run("openssl", [
      "req",
      ...ecKey,
      "-keyout",
      file("server.key"),
      "-out",
      file("server.csr"),
      "-subj",
      `/CN=${commonName}`,
    ]);
    await writeFile(
      file("ext.cnf"),
      "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    );
    await run("openssl", [
      "x509",
      "-req",
      "-in",
      file("server.csr"),
      "-CA",
      file("ca.crt"),
      "-CAkey",
      file("ca.key"),
      "-CAcreateserial",
      "-out",
      file("server.crt"),
      "-days",
      "7",
      "-extfile",
      file("ext.cnf"),
    ]);
    const [ca, cert, key] = await Promise.all(
      ["ca.crt", "server.crt", "server.key"].map((name) => readFile(file(name), "utf8")),
    );
    return { ca: ca as string, cert: cert as string, key: key as string };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
