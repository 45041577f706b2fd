import { describe, expect, it } from "vitest";
import { evaluateFacts } from "@/lib/checks/define-check";
import { secureDockerFacts } from "@/lib/checks/testing/baseline";
import { safeProcMount } from "./safe-proc-mount";

describe("safe-proc-mount on Docker says what was seen", () => {
  it("fails a privileged container (MaskedPaths null), naming Privileged", () => {
    const facts = secureDockerFacts({ container: { HostConfig: { Privileged: true, MaskedPaths: null } } });
    const outcome = evaluateFacts(safeProcMount, facts);
    expect(outcome).toMatchObject({ status: "fail", fieldPath: "HostConfig.Privileged" });
    expect(outcome.message).not.toMatch(/stay masked/);
  });

  it("counts the masked paths it saw, and says when the daemon reported none", () => {
    const reported = secureDockerFacts({ container: { HostConfig: { MaskedPaths: ["/proc/kcore", "/proc/keys"] } } });
    expect(evaluateFacts(safeProcMount, reported).message).toBe("HostConfig.MaskedPaths masks 2 paths");
    const absent = evaluateFacts(safeProcMount, secureDockerFacts());
    expect(absent).toMatchObject({ status: "pass", fieldPath: "HostConfig.SecurityOpt" });
    expect(absent.message).toMatch(/MaskedPaths not reported/);
  });
});
