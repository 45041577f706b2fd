import { describe, expect, it } from "vitest";
import { exactTime, relativeTime } from "./time";

const NOW = "2026-12-06T12:00:00.000Z";
const at = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

describe("relativeTime", () => {
  it("says how long ago or how far ahead, in the largest unit that reads well", () => {
    expect(relativeTime(at(3), NOW)).toBe("just now");
    expect(relativeTime(at(45), NOW)).toBe("45 s ago");
    expect(relativeTime(at(300), NOW)).toBe("5 min ago");
    expect(relativeTime(at(3 * 3600), NOW)).toBe("3 h ago");
    expect(relativeTime(at(2 * 86_400), NOW)).toBe("2 d ago");
    expect(relativeTime(at(-5 * 86_400), NOW)).toBe("in 5 d");
    expect(relativeTime(at(-120 * 86_400), NOW)).toBe("in 4 mo");
  });

  it("keeps the exact UTC minute for the hover", () => {
    expect(exactTime("2026-12-06T07:35:42.123Z")).toBe("2026-12-06 07:35 UTC");
  });
});
