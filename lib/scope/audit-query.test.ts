import { describe, expect, it } from "vitest";
import { parseAuditQuery } from "./audit-query";

const NOW = new Date("2026-12-06T10:00:00Z");

describe("parseAuditQuery", () => {
  it("defaults to today and the whole fleet, and keeps a scope and a chosen previous day", () => {
    expect(parseAuditQuery({}, NOW)).toEqual({ query: { scope: {}, date: "2026-12-06" } });
    expect(
      parseAuditQuery(
        { target: "shop", namespace: "web", team: ["payments", "x"], date: "2026-11-01", since: "2026-10-01" },
        NOW,
      ),
    ).toEqual({
      query: {
        scope: { target: "shop", namespace: "web", team: "payments" },
        date: "2026-11-01",
        previous: "2026-10-01",
      },
    });
  });

  it.each([
    [{ date: "yesterday" }, /"date" must be a day/],
    [{ date: "2026-02-31" }, /"date" must be a day/],
    [{ date: "2026-12-07" }, /after today/],
    [{ date: "1999-12-31" }, /2000-01-01 or later/],
    [{ date: "2026-11-01", since: "2026-11-01" }, /must be before "date"/],
    [{ since: "2026-13-01" }, /"since" must be a day/],
    [{ target: "shop\u0000" }, /"target" must not contain control characters/],
    [{ date: `2026-11-01${"x".repeat(5000)}` }, /"date" must be a day/],
  ])("refuses %j, naming the parameter", (params, message) => {
    const parsed = parseAuditQuery(params, NOW);
    expect("error" in parsed ? parsed.error : "").toMatch(message);
    expect(("error" in parsed ? parsed.error : "").length).toBeLessThan(200);
  });
});
