import { describe, expect, it, vi } from "vitest";
import { violationsHref } from "@/components/findings/violation-filters";
import { describeRejectedQuery, parseViolationQuery } from "./query";

vi.mock("server-only", () => ({}));
vi.mock("@/lib/db", () => ({ getDb: () => undefined, Prisma: { raw: () => ({}), sql: () => ({}) } }));

describe("parseViolationQuery", () => {
  it("reads severity, check and page from the URL query", () => {
    expect(parseViolationQuery({ severity: "high", check: "not-privileged", page: "3" })).toEqual({
      severity: "high",
      checkId: "not-privileged",
      page: 3,
    });
  });

  it("drops values it does not know instead of failing the page", () => {
    expect(parseViolationQuery({ severity: "urgent", check: "<script>", page: "-2" })).toEqual({
      severity: undefined,
      checkId: undefined,
      page: undefined,
    });
  });

  it("takes the first of repeated parameters", () => {
    expect(parseViolationQuery({ severity: ["low", "high"] }).severity).toBe("low");
  });

  it("round-trips through the links the filters build", () => {
    const href = violationsHref({ severity: "critical", checkId: "run-as-non-root", page: 2 });
    expect(href).toBe("/violations?severity=critical&check=run-as-non-root&page=2");
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseViolationQuery(params)).toEqual({ severity: "critical", checkId: "run-as-non-root", page: 2 });
    expect(violationsHref({ page: 1 })).toBe("/violations");
  });

  it("keeps every filter, the sort and the grouping in the URL", () => {
    const query = {
      severity: "high" as const,
      checkId: "run-as-non-root",
      status: "excepted" as const,
      target: "prod cluster",
      namespace: "shop",
      workload: "api",
      image: "ghcr.io/acme",
      label: "team=storefront",
      sort: "check" as const,
      dir: "desc" as const,
      group: "workload" as const,
      pageSize: 25,
      page: 3,
    };
    const href = violationsHref(query);
    const params = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parseViolationQuery(params)).toEqual(query);
    expect(parseViolationQuery({ sort: "drop table", group: "team", status: "closed", size: "7" })).toEqual({});
  });
});

describe("describeRejectedQuery", () => {
  it("names the filters holding NUL or other control characters, and passes clean ones", () => {
    expect(describeRejectedQuery({ workload: "api", severity: "high" })).toBeNull();
    expect(describeRejectedQuery({ workload: "a\u0000pi", image: ["x", "y\u001B"] })).toMatch(
      /^The filters "workload", "image" hold control characters/,
    );
  });

  it("never passes a control character on to the database query", () => {
    expect(parseViolationQuery({ workload: "a\u0000pi", namespace: "shop\u0000" })).toMatchObject({
      workload: undefined,
      namespace: undefined,
    });
  });
});
