import { describe, expect, it } from "vitest";
import {
  applyDockerfileEdits,
  copySources,
  dockerfileWorkload,
  isDockerfileName,
  parseAssignments,
  parseDockerfile,
} from "./dockerfile";

const summary = (text: string) =>
  parseDockerfile(text).instructions.map((i) => `${i.line}-${i.endLine} ${i.keyword} ${i.args}`);

describe("isDockerfileName", () => {
  it.each([
    ["Dockerfile", true],
    ["build/Dockerfile.prod", true],
    ["api.Dockerfile", true],
    ["dockerfile", true],
    ["Dockerfile.dockerignore", false],
    ["Dockerfiles.md", false],
    ["compose.yaml", false],
  ])("%s → %s", (name, expected) => expect(isDockerfileName(name)).toBe(expected));
});

describe("parseDockerfile", () => {
  it("joins continuation lines, dropping comments and blank lines inside them, and keeps line spans", () => {
    const text = "FROM alpine\nRUN apk add \\\n    # a comment\n\n    curl \\\n    jq\nUSER app\n";
    expect(summary(text)).toEqual(["1-1 FROM alpine", "2-6 RUN apk add      curl      jq", "7-7 USER app"]);
  });

  it("honours `# escape=`` ` (Windows images) and ignores a directive after the first instruction", () => {
    const windows =
      "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\\\nUSER ContainerUser\n";
    expect(summary(windows).slice(1)).toEqual(["3-4 RUN dir    c:\\\\", "5-5 USER ContainerUser"]);
    const late = "FROM alpine\n# escape=`\nRUN echo `\nUSER app\n";
    expect(summary(late)).toEqual(["1-1 FROM alpine", "3-3 RUN echo `", "4-4 USER app"]);
  });

  it("accepts whitespace after the escape, CRLF endings and a continuation that runs into the end of the file", () => {
    expect(summary("FROM alpine\r\nRUN a \\  \r\n  b\r\nUSER app \\")).toEqual([
      "1-1 FROM alpine",
      "2-3 RUN a    b",
      "4-4 USER app",
    ]);
  });

  it("reads heredocs (plain, quoted, <<- with tabs, two in one RUN) without reading their bodies as instructions", () => {
    const text = [
      "FROM alpine",
      "RUN <<EOF",
      "USER root",
      "EOF",
      'COPY <<"CONF" /etc/app.conf',
      "FROM evil",
      "CONF",
      "RUN <<-A cat - <<B",
      "\tone",
      "\tA",
      "two",
      "B",
      "USER app",
    ].join("\n");
    const parsed = parseDockerfile(text);
    expect(parsed.instructions.map((i) => `${i.line}-${i.endLine} ${i.keyword}`)).toEqual([
      "1-1 FROM",
      "2-4 RUN",
      "5-7 COPY",
      "8-12 RUN",
      "13-13 USER",
    ]);
    expect(parsed.stages).toHaveLength(1);
    expect(parsed.instructions[3]?.heredocs).toEqual([
      { name: "A", body: "one" },
      { name: "B", body: "two" },
    ]);
  });

  it("lets an unterminated heredoc run to the end of the file", () => {
    expect(summary("FROM alpine\nRUN <<EOF\nUSER root\n")).toEqual(["1-1 FROM alpine", "2-4 RUN <<EOF"]);
  });

  it("splits stages, resolves aliases case-insensitively and substitutes global ARG defaults in FROM", () => {
    const text = [
      "ARG BASE=node:22",
      "ARG TAG",
      "FROM --platform=$BUILDPLATFORM ${BASE} AS Build",
      "FROM build AS test",
      "FROM scratch",
      "FROM app:${TAG:-1.0}",
      "FROM app:$TAG",
    ].join("\n");
    const stages = parseDockerfile(text).stages;
    expect(stages.map((s) => [s.image, s.alias, s.baseStage])).toEqual([
      ["node:22", "build", undefined],
      ["build", "test", 0],
      ["scratch", undefined, undefined],
      ["app:1.0", undefined, undefined],
      ["app:$TAG", undefined, undefined],
    ]);
  });

  it("parses ARG/ENV assignments, quoted values and the legacy ENV form", () => {
    expect(parseAssignments('A=1 B="two words" C')).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "two words" },
      { name: "C" },
    ]);
    expect(parseAssignments("PATH /usr/local/bin:/usr/bin", true)).toEqual([
      { name: "PATH", value: "/usr/local/bin:/usr/bin" },
    ]);
    expect(copySources('--chown=app ["a b", "c", "/dst/"]')).toEqual(["a b", "c"]);
    expect(copySources("--from=build /src/.env ./id_rsa /app/")).toEqual(["/src/.env", "./id_rsa"]);
  });

  it("survives hostile text: binary-ish noise, a lone backslash, 200,000 continuation lines", () => {
    expect(summary("\\\n\\\n")).toEqual([]);
    expect(summary("\u0001\u0002 garbage\n{json}\n")).toEqual([]);
    const huge = `FROM alpine\nRUN true \\\n${"  && true \\\n".repeat(200_000)}  && true\nUSER app\n`;
    const parsed = parseDockerfile(huge);
    expect(parsed.instructions.map((i) => [i.keyword, i.line])).toEqual([
      ["FROM", 1],
      ["RUN", 2],
      ["USER", 200_004],
    ]);
  });

  it("is no workload without FROM", () => {
    expect(dockerfileWorkload("RUN echo\n", "x/Dockerfile")).toEqual({
      errors: [{ source: "x/Dockerfile", message: "no FROM instruction (not a Dockerfile)" }],
    });
  });
});

describe("applyDockerfileEdits", () => {
  it("replaces and removes whole instructions (continuations and heredocs included) and appends at the end", () => {
    const text = 'FROM alpine\nENV A=1 \\\n    SECRET=x\nCOPY <<EOF /app/.env\nK=v\nEOF\nCMD ["app"]\n';
    const parsed = parseDockerfile(text);
    const edited = applyDockerfileEdits(text, parsed, [
      { at: 1, line: "ENV A=1" },
      { at: 2, line: null },
      { line: "USER 10001:10001" },
    ]);
    expect(edited).toBe('FROM alpine\nENV A=1\nCMD ["app"]\nUSER 10001:10001\n');
  });
});
