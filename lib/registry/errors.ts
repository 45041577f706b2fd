/** Why an image's config could not be read; `message` is the not-evaluated reason shown to users. */
export type RegistryFailure =
  | "no-credential"
  | "unauthorized"
  | "not-found"
  | "timeout"
  | "too-large"
  | "not-json"
  | "digest-mismatch"
  | "tag-moved"
  | "redirect"
  | "unreachable"
  | "server-error"
  | "unsupported";

export class RegistryError extends Error {
  constructor(
    readonly failure: RegistryFailure,
    message: string,
  ) {
    super(message);
    this.name = "RegistryError";
  }
}

export function isRegistryError(error: unknown): error is RegistryError {
  return error instanceof RegistryError;
}
