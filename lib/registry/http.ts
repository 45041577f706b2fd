import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { RegistryError } from "./errors";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  url: URL;
  method: "GET" | "HEAD";
  headers: Record<string, string>;
  /** PEM of the CA that signs this host's certificate, on top of the system's. */
  ca?: string;
  /** Whole-request deadline: a registry that answers byte by byte is cut off too. */
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** One request, never following redirects (the caller decides), with a deadline and a body size cap. */
export function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const { url } = request;
  const host = url.host;
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: request.method, headers: request.headers };
    if (url.protocol === "https:" && request.ca) options.ca = [...tlsRootCertificates(), request.ca];
    const client = url.protocol === "https:" ? https : http;
    const req = client.request(url, options, (response) => {
      const length = Number(response.headers["content-length"] ?? "0");
      if (length > request.maxBytes) {
        fail(new RegistryError("too-large", tooLarge(host, url, request.maxBytes)));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxBytes) fail(new RegistryError("too-large", tooLarge(host, url, request.maxBytes)));
        else chunks.push(chunk);
      });
      response.on("end", () => {
        cleanup();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on("error", (error) => fail(describeNetworkError(host, error)));
    });
    const timer = setTimeout(
      () => fail(new RegistryError("timeout", `Registry ${host} did not answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    const onAbort = () => fail(new RegistryError("timeout", `Reading from registry ${host} was cancelled`));
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    function cleanup() {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    }
    function fail(error: RegistryError) {
      cleanup();
      req.destroy();
      reject(error);
    }
    req.on("error", (error) => fail(describeNetworkError(host, error)));
    req.end();
  });
}

function tooLarge(host: string, url: URL, maxBytes: number): string {
  return `Registry ${host} sent more than ${maxBytes} bytes for ${url.pathname}`;
}

function tlsRootCertificates(): readonly string[] {
  return tls.rootCertificates;
}

function describeNetworkError(host: string, error: Error): RegistryError {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (/CERT|SELF_SIGNED|SSL|TLS/i.test(code) || /certificate/i.test(error.message))
    return new RegistryError("unreachable", `TLS verification of registry ${host} failed (${code || error.message})`);
  return new RegistryError("unreachable", `Registry ${host} could not be reached (${code || error.message})`);
}
