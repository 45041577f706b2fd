import { describe, expect, it } from "vitest";
import {
  describeRejectedQuery,
  parseViolationQuery,
  parseViolationQueryStrict,
  violationsHref,
} from "./violation-query";

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

describe("team, since and the API's strict reading", () => {
  it("reads a team and a first-seen day (midnight UTC) or an exact time, and round-trips them", () => {
    const query = parseViolationQuery({ team: "storefront", since: "2026-12-01" });
    expect(query).toEqual({ team: "storefront", since: "2026-12-01T00:00:00.000Z" });
    expect(parseViolationQuery({ since: "2026-12-01T07:30:00.000Z" }).since).toBe("2026-12-01T07:30:00.000Z");
    const href = violationsHref({ target: "shop", team: "storefront", since: "2026-12-01T07:30:00.000Z" });
    expect(parseViolationQuery(Object.fromEntries(new URL(href, "http://x").searchParams))).toEqual({
      target: "shop",
      team: "storefront",
      since: "2026-12-01T07:30:00.000Z",
    });
  });

  it("reads a platform (a framework view's links) and drops or refuses any other kind", () => {
    expect(parseViolationQuery({ platform: "docker", check: "not-privileged" })).toEqual({
      platform: "docker",
      checkId: "not-privileged",
    });
    expect(violationsHref({ platform: "kubernetes", target: "shop" })).toBe(
      "/violations?target=shop&platform=kubernetes",
    );
    expect(parseViolationQuery({ platform: "podman" }).platform).toBeUndefined();
    expect(parseViolationQueryStrict({ platform: "Docker" }).success).toBe(false);
  });

  it("drops an impossible date on the page and refuses it in the API", () => {
    expect(parseViolationQuery({ since: "2026-02-31x" }).since).toBeUndefined();
    expect(parseViolationQueryStrict({ since: "yesterday" }).success).toBe(false);
    expect(parseViolationQueryStrict({ severity: "high", sevrity: "low" }).success).toBe(false);
    const ok = parseViolationQueryStrict({ severity: "high", team: "ops", size: "25" });
    expect(ok).toEqual({ success: true, query: { severity: "high", team: "ops", pageSize: 25 } });
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
    const query = parseViolationQuery({ workload: "a\u0000pi", namespace: "shop\u0000" });
    expect(query.workload).toBeUndefined();
    expect(query.namespace).toBeUndefined();
  });
});
