import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, formatLine } from "./log";

afterEach(() => vi.restoreAllMocks());

function capture() {
  const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  return {
    out: () => out.mock.calls.map(([c]) => String(c)).join(""),
    err: () => err.mock.calls.map(([c]) => String(c)).join(""),
  };
}

describe("logger", () => {
  it("writes one JSON object per line with time, level, component and fields; secrets by name are redacted", () => {
    const lines = capture();
    const log = createLogger("worker", { RAMPART_LOG_FORMAT: "json" });
    log.info("target t1 run r1 succeeded", { runId: "r1", containers: 3, bearerToken: "abc", apiKey: "k" });
    log.error('bad "quote"\nnext line');
    const [info] = lines
      .out()
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(info).toMatchObject({ level: "info", component: "worker", msg: "target t1 run r1 succeeded", runId: "r1" });
    expect(info).toMatchObject({ containers: 3, bearerToken: "[redacted]", apiKey: "[redacted]" });
    expect(new Date(info!.time as string).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(lines.err().split("\n").filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(lines.err())).toMatchObject({ level: "error", msg: 'bad "quote"\nnext line' });
    expect(lines.out()).not.toContain("abc");
  });

  it("drops lines below RAMPART_LOG_LEVEL and prints the old text lines without RAMPART_LOG_FORMAT", () => {
    const lines = capture();
    const log = createLogger("worker", { RAMPART_LOG_LEVEL: "warn" });
    log.debug("d");
    log.info("i");
    log.warn("w", { targetId: "t" });
    expect(lines.out()).toBe("");
    expect(lines.err()).toBe("rampart worker: w\n");
    expect(formatLine("", "info", "ready", {}, false)).toBe("rampart: ready");
  });
});
