import { describe, expect, it } from "vitest";
import type { Severity, Status } from "@/lib/domain/severity";
import { checkCompliance, containerScore, displayScore, scopeScore } from "./index";

const r = (status: Status, severity: Severity, excepted = false) => ({
  status,
  severity,
  ...(excepted ? { excepted: { source: "exception" as const, reason: "accepted" } } : {}),
});

describe("containerScore", () => {
  it("weights passing checks by severity", () => {
    // pass critical 10 + pass medium 3 = 13; judged 10 + 6 + 3 + 1 = 20 → 65
    const score = containerScore([r("pass", "critical"), r("fail", "high"), r("pass", "medium"), r("fail", "low")]);
    expect(score).toBe(65);
  });

  it("ignores not-applicable and not-evaluated", () => {
    // pass high 6 over judged 6 + 3 = 9 → 66.666…
    const score = containerScore([
      r("pass", "high"),
      r("fail", "medium"),
      r("not-applicable", "critical"),
      r("not-evaluated", "high"),
    ]);
    expect(score).toBeCloseTo(200 / 3, 10);
    expect(displayScore(score)).toBe(67);
  });

  it("leaves excepted results out of both sums", () => {
    // the excepted critical failure would otherwise give 1 / 11
    expect(containerScore([r("fail", "critical", true), r("pass", "low")])).toBe(100);
    expect(containerScore([r("fail", "critical"), r("pass", "low")])).toBeCloseTo(100 / 11, 10);
  });

  it("has no score when nothing was evaluated", () => {
    expect(containerScore([])).toBeNull();
    expect(containerScore([r("not-evaluated", "high"), r("fail", "critical", true)])).toBeNull();
  });

  it("is 0 when everything judged fails", () => {
    expect(containerScore([r("fail", "high"), r("fail", "low")])).toBe(0);
  });
});

describe("checkCompliance", () => {
  it("is passing containers over judged containers", () => {
    // 2 pass, 1 fail, 1 not-applicable, 1 excepted fail → 2 / 3
    const results = [
      r("pass", "high"),
      r("pass", "high"),
      r("fail", "high"),
      r("not-applicable", "high"),
      r("fail", "high", true),
    ];
    expect(checkCompliance(results)).toBeCloseTo(2 / 3, 10);
  });

  it("is null when no container was judged", () => {
    expect(checkCompliance([r("not-evaluated", "high")])).toBeNull();
  });
});

describe("scopeScore", () => {
  it("is the mean of the containers that have a score", () => {
    // (65 + 100 + 0) / 3 = 55
    expect(scopeScore([65, null, 100, 0])).toBe(55);
  });

  it("is null without any scored container", () => {
    expect(scopeScore([null, null])).toBeNull();
    expect(scopeScore([])).toBeNull();
  });
});

describe("displayScore", () => {
  it("rounds half up for display only", () => {
    expect(displayScore(70.5)).toBe(71);
    expect(displayScore(null)).toBeNull();
  });
});
