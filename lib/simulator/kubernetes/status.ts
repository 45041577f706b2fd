/** A `Status` object as the API server sends with every error. */
export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, string>;
  status: "Failure";
  message: string;
  reason: string;
  details?: Record<string, string>;
  code: number;
}

function status(code: number, reason: string, message: string, details?: Record<string, string>): StatusBody {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export const unauthorized = (): StatusBody => status(401, "Unauthorized", "Unauthorized");

export function forbidden(args: {
  user: string;
  verb: string;
  group: string;
  plural: string;
  namespace?: string;
  name?: string;
}): StatusBody {
  const subject = args.name ? `${args.plural} "${args.name}"` : args.plural;
  const scope = args.namespace ? `in the namespace "${args.namespace}"` : "at the cluster scope";
  const message =
    `${subject} is forbidden: User "${args.user}" cannot ${args.verb} resource "${args.plural}" ` +
    `in API group "${args.group}" ${scope}`;
  const details: Record<string, string> = { kind: args.plural };
  if (args.group) details.group = args.group;
  if (args.name) details.name = args.name;
  return status(403, "Forbidden", message, details);
}

export function notFound(plural: string, name: string, group: string): StatusBody {
  const details: Record<string, string> = { name, kind: plural };
  if (group) details.group = group;
  return status(404, "NotFound", `${plural}${group ? `.${group}` : ""} "${name}" not found`, details);
}

export const pathNotFound = (): StatusBody =>
  status(404, "NotFound", "the server could not find the requested resource");

export const badRequest = (message: string): StatusBody => status(400, "BadRequest", message);

export const methodNotAllowed = (): StatusBody =>
  status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

// Upstream's wording, so clients that match on it behave as against a real server.
export const expired = (): StatusBody =>
  status(
    410,
    "Expired",
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
  );

/** What a watch from a compacted resourceVersion receives, as the ERROR event's object. */
export const tooOldResourceVersion = (from: number, oldest: number): StatusBody =>
  status(410, "Expired", `too old resource version: ${from} (${oldest})`);
