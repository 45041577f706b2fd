import { describe, expect, it } from "vitest";
import { checkServerVersion } from "./migrate";

describe("checkServerVersion", () => {
  it("refuses a server older than PostgreSQL 15, naming its version", () => {
    expect(() => checkServerVersion(140012, "14.12 (Debian 14.12-1)")).toThrow(
      "Rampart needs PostgreSQL 15 or later; the database server runs PostgreSQL 14.12 (Debian 14.12-1)",
    );
  });

  it("refuses a version it cannot read", () => {
    expect(() => checkServerVersion(Number.NaN, "unknown")).toThrow("PostgreSQL 15 or later");
  });

  it("accepts PostgreSQL 15 and later", () => {
    expect(() => checkServerVersion(150000, "15.0")).not.toThrow();
    expect(() => checkServerVersion(180001, "18.1")).not.toThrow();
  });
});
