import { describe, expect, it } from "vitest";
import { EventLineReader, parseDockerEvent } from "./events";
import { selectChanged } from "./select";

const ID = "a".repeat(64);
const OTHER = "b".repeat(64);

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ Type: "container", Action: "create", Actor: { ID, Attributes: { name: "x" } }, ...fields });
}

describe("parseDockerEvent", () => {
  it("reads a container event as Docker sends it", () => {
    expect(parseDockerEvent(line({}))).toEqual({ action: "create", id: ID });
    expect(parseDockerEvent(line({ Action: "rename" }))).toEqual({ action: "rename", id: ID });
  });

  it.each([
    ["not JSON", "{not json"],
    ["an array", "[1,2]"],
    ["another type", line({ Type: "network" })],
    ["an action that changes no verdict", line({ Action: "exec_start: sh" })],
    ["an id that is not a container id", line({ Actor: { ID: "../../etc" } })],
    ["a missing actor", line({ Actor: null })],
  ])("skips %s", (_, text) => {
    expect(parseDockerEvent(text)).toBeNull();
  });
});

describe("EventLineReader", () => {
  it("joins events split across chunks and skips garbled lines between them", () => {
    const reader = new EventLineReader();
    const text = `${line({})}\n\u0000\u00ff garbage\n${line({ Action: "destroy", Actor: { ID: OTHER } })}\n`;
    const events = [...text.slice(0, 30), text.slice(30, 200), text.slice(200)].flatMap((chunk) => reader.push(chunk));
    expect(events).toEqual([
      { action: "create", id: ID },
      { action: "destroy", id: OTHER },
    ]);
  });

  it("drops an endless line whole and reads the next one", () => {
    const reader = new EventLineReader();
    const huge = `{"Type":"container","Action":"create","x":"${"y".repeat(300 * 1024)}`;
    expect(reader.push(huge)).toEqual([]);
    expect(reader.push(`${"z".repeat(1024)}","Actor":{"ID":"${ID}"}}\n`)).toEqual([]);
    expect(reader.push(`${line({ Action: "start" })}\n`)).toEqual([{ action: "start", id: ID }]);
  });
});

describe("selectChanged", () => {
  it("takes the named containers and the other replicas of their Compose service", () => {
    const compose = { "com.docker.compose.project": "shop", "com.docker.compose.service": "web" };
    const listed = [
      { Id: ID, Labels: compose },
      { Id: OTHER, Labels: compose },
      { Id: "c".repeat(64), Labels: { ...compose, "com.docker.compose.service": "db" } },
      { Id: "d".repeat(64), Labels: null },
    ];
    expect(selectChanged(new Set([ID]))(listed).map((c) => c.Id)).toEqual([ID, OTHER]);
    expect(selectChanged(new Set(["d".repeat(64)]))(listed).map((c) => c.Id)).toEqual(["d".repeat(64)]);
  });
});
