import type Modem from "docker-modem";
import { observeSince } from "@/lib/metrics/collector-histograms";
import { describeDockerError } from "./client";

export interface EngineRequest {
  modem: Modem;
  url: string;
  signal: AbortSignal;
}

/** GET one Engine API path; errors say what and where and keep the HTTP status for 404 handling. */
export async function engineGet<T>(
  request: EngineRequest,
  path: string,
  query: Record<string, string> = {},
): Promise<T> {
  request.signal.throwIfAborted();
  const options: Modem.DialOptions = {
    path: Object.keys(query).length > 0 ? `${path}?` : path,
    method: "GET",
    options: query,
    abortSignal: request.signal,
    statusCodes: { 200: true, 404: "not found", 500: "server error" },
  };
  const start = performance.now();
  try {
    return await new Promise<T>((resolve, reject) => {
      request.modem.dial(options, (error, data) => (error ? reject(error) : resolve(data as T)));
    });
  } catch (error) {
    request.signal.throwIfAborted();
    const statusCode = (error as { statusCode?: number } | null)?.statusCode;
    throw Object.assign(describeDockerError(error, request.url, `GET ${path}`), { statusCode });
  } finally {
    observeSince("rampart_collector_request_duration_seconds", "docker", start);
  }
}
