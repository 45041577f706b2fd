import type Docker from "dockerode";
import { observeSince } from "@/lib/metrics/collector-histograms";
import { describeDockerError } from "./client";

interface Modem {
  dial(options: Record<string, unknown>, callback: (error: unknown, data: unknown) => void): void;
}

export interface EngineRequest {
  docker: Docker;
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
  const modem = request.docker.modem as unknown as Modem;
  const options = {
    path: Object.keys(query).length > 0 ? `${path}?` : path,
    method: "GET",
    options: query,
    abortSignal: request.signal,
    statusCodes: { 200: true, 404: "not found", 500: "server error" },
  };
  const start = performance.now();
  try {
    return await new Promise<T>((resolve, reject) => {
      modem.dial(options, (error, data) => (error ? reject(error) : resolve(data as T)));
    });
  } catch (error) {
    request.signal.throwIfAborted();
    const statusCode = (error as { statusCode?: number } | null)?.statusCode;
    throw Object.assign(describeDockerError(error, request.url, `GET ${path}`), { statusCode });
  } finally {
    observeSince("rampart_collector_request_duration_seconds", "docker", start);
  }
}
