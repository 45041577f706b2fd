import type { z } from "zod";
import type { DockerContainer, DockerHistoryEntry, DockerImage, DockerInfo, DockerNetwork } from "@/lib/domain/docker";
import type { DockerContainerFacts, ImageDigest, InputError, WorkloadInput, WorkloadRef } from "@/lib/domain/facts";
import {
  dockerContainerSchema,
  dockerHistorySchema,
  dockerImageSchema,
  dockerInfoSchema,
  dockerNetworksSchema,
} from "./docker-schema";
import { fastValidator } from "./fast-validator";
import { describeType } from "./field-path";
import { issuesToErrors, type ErrorOrigin } from "./zod-issues";

export interface DockerRawInput {
  container: unknown;
  image?: unknown;
  history?: unknown;
  info?: unknown;
  networks?: unknown;
}

export interface DockerContext {
  source: string;
  /** Document index in the source file, copied into errors. */
  document?: number;
  line?: number;
}

const COMPOSE_PROJECT = "com.docker.compose.project";
const COMPOSE_SERVICE = "com.docker.compose.service";

export function normalizeDockerContainer(
  raw: DockerRawInput,
  context: DockerContext,
): { facts?: DockerContainerFacts; errors: InputError[] } {
  const origin: ErrorOrigin =
    context.document === undefined
      ? { source: context.source }
      : { source: context.source, document: context.document };
  const errors: InputError[] = [];
  // Validated values are kept as given (the schemas transform nothing) so key order survives.
  const container = validate(dockerContainerSchema, raw.container, origin, [], errors) as DockerContainer | undefined;
  const image = validate(dockerImageSchema, raw.image, origin, ["image"], errors) as DockerImage | undefined;
  const history = validate(dockerHistorySchema, raw.history, origin, ["history"], errors) as
    DockerHistoryEntry[] | undefined;
  const info = validate(dockerInfoSchema, raw.info, origin, ["info"], errors) as DockerInfo | undefined;
  const networks = validate(dockerNetworksSchema, raw.networks, origin, ["networks"], errors) as
    DockerNetwork[] | undefined;
  if (!container || errors.length > 0) return { errors };

  const name = container.Name.replace(/^\//, "");
  const reference = container.Config.Image || container.Image;
  const facts: DockerContainerFacts = {
    platform: "docker",
    workload: dockerWorkloadOf(name, container.Config.Labels),
    name,
    image: reference,
    source: context.source,
    container,
  };
  const digest = dockerImageDigest(reference, container.Image, image);
  if (digest) facts.imageDigest = digest;
  const digests = dockerImageDigests(reference, container.Image, image);
  if (digests.length > 0) facts.imageDigests = digests;
  if (context.line !== undefined) facts.line = context.line;
  if (image) facts.imageInspect = image;
  if (history) facts.imageHistory = history;
  if (info) facts.info = info;
  if (networks) facts.networks = networks;
  return { facts, errors: [] };
}

function validate(
  schema: z.ZodType,
  value: unknown,
  origin: ErrorOrigin,
  prefix: string[],
  errors: InputError[],
): unknown {
  if (value === undefined && prefix.length > 0) return undefined;
  if (fastValidator(schema)(value)) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return value;
  if (prefix.length === 0 && (typeof value !== "object" || value === null)) {
    errors.push({ ...origin, message: `expected a docker inspect object, got ${describeType(value)}` });
    return undefined;
  }
  errors.push(...issuesToErrors(parsed.error.issues, value, origin, prefix));
  return undefined;
}

export function dockerWorkloadOf(name: string, labels: Record<string, string> | null | undefined): WorkloadRef {
  const project = labels?.[COMPOSE_PROJECT];
  const service = labels?.[COMPOSE_SERVICE];
  if (project && service) return { platform: "docker", kind: "ComposeService", namespace: project, name: service };
  return { platform: "docker", kind: "Container", namespace: "", name };
}

/** `nginx`, `docker.io/library/nginx` and `index.docker.io/library/nginx` name the same repository. */
function repositoryOf(reference: string): string {
  const withoutDigest = reference.split("@")[0] ?? "";
  const lastSlash = withoutDigest.lastIndexOf("/");
  const lastColon = withoutDigest.lastIndexOf(":");
  const repo = lastColon > lastSlash ? withoutDigest.slice(0, lastColon) : withoutDigest;
  return repo.replace(/^(index\.)?docker\.io\//, "").replace(/^library\//, "");
}

/** The pinned digest, else the image's RepoDigest for the same repository, else the image id. */
export function dockerImageDigest(reference: string, imageId: string, image?: DockerImage): string | undefined {
  const pinned = reference.match(/@(sha256:[a-f0-9]{64})/)?.[1];
  if (pinned) return pinned;
  const repo = repositoryOf(reference);
  const repoDigest = image?.RepoDigests?.find((d) => repositoryOf(d) === repo);
  const fromRepo = repoDigest?.match(/@(sha256:[a-f0-9]{64})/)?.[1];
  if (fromRepo) return fromRepo;
  return /^sha256:[a-f0-9]{64}$/.test(imageId) ? imageId : undefined;
}

/**
 * Every digest Docker shows for a container's image: the image id (its config digest, `Image` and the image's
 * `Id`), the repository digests (`RepoDigests`, which are manifest-list or manifest digests) and one pinned in
 * the reference.
 */
export function dockerImageDigests(reference: string, imageId: string, image?: DockerImage): ImageDigest[] {
  const found: ImageDigest[] = [];
  const add = (kind: ImageDigest["kind"], digest: string | undefined) => {
    if (digest && DIGEST.test(digest) && !found.some((d) => d.digest === digest)) found.push({ kind, digest });
  };
  add("config", imageId);
  add("config", image?.Id);
  add("repository", reference.match(/@(sha256:[a-f0-9]{64})$/)?.[1]);
  for (const repoDigest of image?.RepoDigests ?? [])
    add("repository", repoDigest.match(/@(sha256:[a-f0-9]{64})$/)?.[1]);
  return found;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Compose replicas of one service become one workload; other containers are their own. */
export function groupDockerWorkloads(facts: DockerContainerFacts[]): WorkloadInput[] {
  const byKey = new Map<string, WorkloadInput>();
  for (const f of facts) {
    const key = `${f.workload.kind}\u0000${f.workload.namespace}\u0000${f.workload.name}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.containers.push(f);
      continue;
    }
    const input: WorkloadInput = {
      workload: f.workload,
      source: f.source,
      labels: { ...(f.container.Config.Labels ?? {}) },
      containers: [f],
    };
    if (f.line !== undefined) input.line = f.line;
    byKey.set(key, input);
  }
  return [...byKey.values()];
}
