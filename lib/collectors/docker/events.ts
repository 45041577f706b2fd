import type { Readable } from "node:stream";
import type { ChangeSink, LiveSource } from "@/lib/collectors/follow-target";
import type { CollectionReport, TargetConnection } from "@/lib/collectors/types";
import type { WorkloadInput } from "@/lib/domain/facts";
import { groupDockerWorkloads } from "@/lib/normalize/docker";
import { createDockerClient, describeDockerError } from "./client";
import { engineGet } from "./engine";
import { toFacts } from "./index";
import { selectChanged } from "./select";
import { readDockerHost } from "./snapshot";

/** The container actions that can change a verdict (or, for destroy, what a poll should reconcile). */
export const FOLLOWED_ACTIONS = ["create", "start", "update", "rename", "destroy"] as const;
export type FollowedAction = (typeof FOLLOWED_ACTIONS)[number];

export interface ContainerEvent {
  action: FollowedAction;
  id: string;
}

/** A line longer than this is not an event Docker sends: it is dropped whole. */
const MAX_LINE = 256 * 1024;
const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** How often the engine is pinged while the stream is quiet: a stream on a dead TCP peer never ends by itself. */
const PING_MS = 15_000;
const CONNECT_TIMEOUT_MS = 10_000;

/** One container event from one line of `/events`, or null for anything else (other types, garbage). */
export function parseDockerEvent(line: string): ContainerEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const event = value as { Type?: unknown; Action?: unknown; Actor?: { ID?: unknown } | null; id?: unknown };
  if (event.Type !== "container" || typeof event.Action !== "string") return null;
  const action = FOLLOWED_ACTIONS.find((known) => known === event.Action);
  const id = typeof event.Actor?.ID === "string" ? event.Actor.ID : event.id;
  if (!action || typeof id !== "string" || !CONTAINER_ID.test(id)) return null;
  return { action, id };
}

/** Splits newline-delimited JSON as it arrives; an over-long line is skipped up to its newline. */
export class EventLineReader {
  private pending = "";
  private skipping = false;

  push(chunk: string): ContainerEvent[] {
    const events: ContainerEvent[] = [];
    const parts = (this.pending + chunk).split("\n");
    this.pending = parts.pop() ?? "";
    for (const line of parts) {
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const event = line.length <= MAX_LINE ? parseDockerEvent(line) : null;
      if (event) events.push(event);
    }
    if (this.pending.length > MAX_LINE) {
      this.pending = "";
      this.skipping = true;
    }
    return events;
  }
}

export interface DockerEventStream {
  /** Resolves with the reason the stream ended (never after `stop`). */
  ended: Promise<string>;
  stop(): void;
}

/**
 * Follows `/events` for containers; resolves once the engine accepted the stream, rejects if it cannot be opened.
 * The stream has no idle timeout, so a ping every PING_MS notices an engine that went away without closing it.
 */
export async function followDockerEvents(
  target: TargetConnection,
  onEvent: (event: ContainerEvent) => void,
): Promise<DockerEventStream> {
  const { docker } = await createDockerClient(target);
  const stopper = new AbortController();
  (docker.modem as unknown as { timeout?: number }).timeout = undefined;
  let stream: Readable;
  try {
    stream = (await Promise.race([
      docker.getEvents({
        filters: { type: ["container"], event: [...FOLLOWED_ACTIONS] },
        abortSignal: stopper.signal,
      }),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the engine did not answer")), CONNECT_TIMEOUT_MS).unref(),
      ),
    ])) as Readable;
  } catch (error) {
    stopper.abort();
    throw describeDockerError(error, target.url, "GET /events");
  }
  const { docker: pinger } = await createDockerClient(target);
  const reader = new EventLineReader();
  let finish: (reason: string) => void = () => undefined;
  const ended = new Promise<string>((resolve) => (finish = resolve));
  const timer = setInterval(() => {
    engineGet({ docker: pinger, url: target.url, signal: stopper.signal }, "/_ping").catch((error: unknown) =>
      end(error instanceof Error ? error.message : String(error)),
    );
  }, PING_MS);
  timer.unref();
  function end(reason: string) {
    clearInterval(timer);
    stream.destroy();
    if (!stopper.signal.aborted) finish(reason);
    stopper.abort();
  }
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => reader.push(chunk).forEach(onEvent));
  stream.on("error", (error) => end(`the event stream failed: ${error.message}`));
  stream.on("close", () => end("the engine closed the event stream"));
  return {
    ended,
    stop() {
      stopper.abort();
      end("stopped");
    },
  };
}

/** The workloads holding the named containers, read and normalised as a poll would; gone ones are left out. */
export async function collectChangedDockerWorkloads(
  target: TargetConnection,
  ids: ReadonlySet<string>,
  report: CollectionReport,
  signal: AbortSignal,
): Promise<WorkloadInput[]> {
  const { docker, warnings } = await createDockerClient(target);
  report.warnings.push(...warnings);
  const request = { docker, url: target.url, signal };
  const includeStopped = target.settings.includeStopped ?? false;
  const snapshot = await readDockerHost(request, report, includeStopped, selectChanged(ids));
  return groupDockerWorkloads(toFacts(snapshot, target.url, report));
}

/** The Docker engine as a live source: container events name containers; a destroy asks for an early poll. */
export async function openDockerLiveSource(target: TargetConnection, sink: ChangeSink): Promise<LiveSource> {
  const stream = await followDockerEvents(target, (event) =>
    event.action === "destroy" ? sink.gone() : sink.changed(event.id),
  );
  return {
    ended: stream.ended,
    stop: () => stream.stop(),
    collect: (current, ids, report, signal) => collectChangedDockerWorkloads(current, ids, report, signal),
  };
}
