import { ApiException } from "@kubernetes/client-node";

/** What was being read when a request failed, so the message names the permission it needs. */
export interface ReadAction {
  verb: "list" | "get";
  /** Plural resource, e.g. `pods`, `deployments`. */
  resource: string;
  group: string;
  /** Undefined = cluster scope. */
  namespace?: string;
}

/** A failed read of the Kubernetes API, with the HTTP status when there was one. */
export class KubeReadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "KubeReadError";
  }
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_SIGNATURE_FAILURE",
]);

export function permissionOf(action: ReadAction): string {
  return `${action.verb} on ${action.group ? `${action.resource}.${action.group}` : action.resource}`;
}

export function describeAction(action: ReadAction): string {
  const scope = action.namespace === undefined ? "at cluster scope" : `in namespace "${action.namespace}"`;
  return `${action.verb} ${action.resource} ${scope}`;
}

/** The HTTP status of a failed request; DOMExceptions also have a numeric `code`, which is not one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof KubeReadError) return error.status;
  return error instanceof ApiException ? error.code : undefined;
}

/** Turns what client-node throws into one clear sentence; never quotes credentials. */
export function describeKubeError(error: unknown, action: ReadAction, server: string): KubeReadError {
  if (error instanceof KubeReadError) return error;
  const what = describeAction(action);
  const status = statusOf(error);
  if (status === 401)
    return new KubeReadError(
      `${server} refused the credentials (401 Unauthorized): the token or certificate is unknown or expired`,
      401,
    );
  if (status === 403) return new KubeReadError(`cannot ${what}: forbidden (needs ${permissionOf(action)})`, 403);
  if (status === 404)
    return new KubeReadError(`cannot ${what}: the API server does not serve ${action.resource} (404)`, 404);
  if (status !== undefined) return new KubeReadError(`cannot ${what}: HTTP ${status}${statusMessage(error)}`, status);
  const cause = rootCause(error);
  if (cause.name === "TimeoutError")
    return new KubeReadError(`cannot ${what}: ${server} did not answer in time (timeout)`);
  if (cause.name === "AbortError") return new KubeReadError(`cannot ${what}: the run was cancelled`);
  if (cause.code && TLS_CODES.has(cause.code)) {
    return new KubeReadError(
      `TLS verification of ${server} failed (${cause.code}): check the cluster CA in the target's credentials`,
    );
  }
  if (cause.code === "ECONNREFUSED") return new KubeReadError(`cannot reach ${server}: connection refused`);
  if (cause.code === "ENOTFOUND") return new KubeReadError(`cannot reach ${server}: host not found`);
  return new KubeReadError(`cannot ${what} at ${server}: ${cause.code ?? cause.message}`);
}

function statusMessage(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  const parsed = typeof body === "string" ? safeParse(body) : body;
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === "string" ? `: ${message.slice(0, 300)}` : "";
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function rootCause(error: unknown): { name: string; message: string; code?: string } {
  let current = error as { name?: string; message?: string; code?: unknown; cause?: unknown } | null;
  for (let depth = 0; depth < 5 && current?.cause; depth++) {
    if (current.name === "TimeoutError" || current.name === "AbortError") break;
    current = current.cause as typeof current;
  }
  return {
    name: current?.name ?? "Error",
    message: current?.message ?? String(error),
    code: typeof current?.code === "string" ? current.code : undefined,
  };
}
