// Focused tweak-one-field tests for the rules of CHECKS.md that are easy to get subtly wrong.
import { describe, expect, it } from "vitest";
import { getCheck } from "./registry";
import type { CheckDefinition } from "./define-check";
import { BASELINE_DIGEST, secureDockerFacts, secureKubernetesFacts } from "./testing/baseline";

function check(id: string): CheckDefinition {
  const found = getCheck(id);
  if (!found) throw new Error(`unknown check ${id}`);
  return found;
}

describe("run-as-non-root", () => {
  const docker = (User: string) =>
    check("run-as-non-root").docker(secureDockerFacts({ container: { Config: { User } } }));

  it.each(["0:0", "root:root", "root", "0", "", "  "])("Docker user %j fails on Config.User", (user) => {
    expect(docker(user)).toMatchObject({ status: "fail", fieldPath: "Config.User" });
  });

  it("passes a named Docker user with a note that its UID was not resolved", () => {
    const outcome = docker("appuser:appgroup");
    expect(outcome.status).toBe("pass");
    expect(outcome.detail).toMatch(/UID was not resolved/);
    expect(docker("1000").detail).toBeUndefined();
  });

  it("names the unset fields and the container securityContext", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: undefined, runAsUser: undefined } },
      pod: { spec: { securityContext: undefined } },
    });
    expect(check("run-as-non-root").kubernetes(facts)).toMatchObject({
      status: "fail",
      message: "runAsNonRoot is not set and runAsUser is unset",
      fieldPath: "spec.template.spec.containers[0].securityContext",
    });
  });

  it("lets a container-level runAsNonRoot: false override the pod's true", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: false, runAsUser: undefined } },
    });
    expect(check("run-as-non-root").kubernetes(facts)).toMatchObject({
      status: "fail",
      fieldPath: "spec.template.spec.containers[0].securityContext.runAsNonRoot",
    });
  });

  it("lets a container-level runAsNonRoot: true override the pod's false", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsUser: undefined } },
      pod: { spec: { securityContext: { runAsNonRoot: false } } },
    });
    expect(check("run-as-non-root").kubernetes(facts).status).toBe("pass");
  });

  it("reads a pod-level runAsUser 0 and points at the pod securityContext", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsUser: undefined } },
      pod: { spec: { securityContext: { runAsUser: 0 } } },
    });
    expect(check("run-as-non-root").kubernetes(facts)).toMatchObject({
      status: "fail",
      fieldPath: "spec.template.spec.securityContext.runAsUser",
    });
  });

  it("passes hostUsers: false whatever the user", () => {
    const facts = secureKubernetesFacts({
      container: { securityContext: { runAsNonRoot: undefined, runAsUser: 0 } },
      pod: { spec: { hostUsers: false, securityContext: undefined } },
    });
    expect(check("run-as-non-root").kubernetes(facts)).toMatchObject({
      status: "pass",
      fieldPath: "spec.template.spec.hostUsers",
    });
  });

  it("uses the container's own list and index and the CronJob spec path", () => {
    const facts = secureKubernetesFacts({
      specPath: "spec.jobTemplate.spec.template.spec",
      list: "initContainers",
      index: 0,
      container: { name: "migrate", securityContext: { runAsUser: 0 } },
    });
    expect(check("run-as-non-root").kubernetes(facts).fieldPath).toBe(
      "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.runAsUser",
    );
  });

  it("fixes a root UID with a non-zero runAsUser", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { runAsUser: 0 } } });
    expect(check("run-as-non-root").remediation.kubernetes?.(facts)).toEqual({
      container: { securityContext: { runAsNonRoot: true, runAsUser: 10001 } },
    });
  });
});

describe("seccomp-profile", () => {
  const docker = (SecurityOpt: string[] | null) =>
    check("seccomp-profile").docker(secureDockerFacts({ container: { HostConfig: { SecurityOpt } } }));

  it.each(["seccomp:unconfined", "seccomp=unconfined", "SECCOMP=Unconfined"])("%s fails", (option) => {
    expect(docker([option])).toMatchObject({ status: "fail", fieldPath: "HostConfig.SecurityOpt" });
  });

  it("passes no option (Docker's default profile) and a custom profile", () => {
    expect(docker(null).status).toBe("pass");
    expect(docker(["seccomp=/etc/docker/seccomp.json"]).status).toBe("pass");
  });

  it("is not evaluated without the daemon's info", () => {
    expect(check("seccomp-profile").docker(secureDockerFacts({ info: undefined })).status).toBe("not-evaluated");
  });

  it("takes the pod-level profile when the container has none", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { seccompProfile: undefined } } });
    expect(check("seccomp-profile").kubernetes(facts)).toMatchObject({
      status: "pass",
      fieldPath: "spec.template.spec.securityContext.seccompProfile.type",
    });
  });

  it("lets a container Unconfined override the pod's RuntimeDefault", () => {
    const facts = secureKubernetesFacts({ container: { securityContext: { seccompProfile: { type: "Unconfined" } } } });
    expect(check("seccomp-profile").kubernetes(facts).message).toBe(
      "seccompProfile.type is Unconfined at container level",
    );
  });
});

describe("no-privilege-escalation and privileged containers", () => {
  const docker = (id: string, SecurityOpt: string[] | null, Privileged = false) =>
    check(id).docker(secureDockerFacts({ container: { HostConfig: { SecurityOpt, Privileged } } }));

  it.each([["no-new-privileges"], ["no-new-privileges:true"], ["no-new-privileges=true"], ["NO-NEW-PRIVILEGES"]])(
    "%s passes",
    (option) => {
      expect(docker("no-privilege-escalation", [option]).status).toBe("pass");
    },
  );

  it.each([["no-new-privileges:false"], ["no-new-privileges=false"], ["label=disable"]])("%s fails", (option) => {
    expect(docker("no-privilege-escalation", [option]).status).toBe("fail");
  });

  it("fails a privileged container with label=disable on every privilege check", () => {
    for (const id of ["not-privileged", "no-privilege-escalation", "seccomp-profile", "drop-all-capabilities"]) {
      expect(docker(id, ["label=disable", "no-new-privileges"], true), id).toMatchObject({
        status: "fail",
        fieldPath: "HostConfig.Privileged",
      });
    }
  });

  it("fails Kubernetes CAP_SYS_ADMIN as well as SYS_ADMIN", () => {
    for (const cap of ["SYS_ADMIN", "CAP_SYS_ADMIN"]) {
      const facts = secureKubernetesFacts({
        container: { securityContext: { capabilities: { drop: ["ALL"], add: [cap] } } },
      });
      expect(check("no-privilege-escalation").kubernetes(facts).message).toBe(`capabilities.add has ${cap}`);
    }
  });
});

describe("capabilities", () => {
  it("normalises Docker names: cap_sys_admin is SYS_ADMIN, all is ALL", () => {
    const facts = secureDockerFacts({ container: { HostConfig: { CapDrop: ["all"], CapAdd: ["cap_sys_admin"] } } });
    expect(check("drop-all-capabilities").docker(facts)).toMatchObject({
      status: "fail",
      message: "HostConfig.CapAdd has cap_sys_admin",
    });
    expect(check("no-added-capabilities").docker(facts).status).toBe("fail");
  });

  it("treats unset CapDrop (null) as lacking ALL", () => {
    const outcome = check("drop-all-capabilities").docker(
      secureDockerFacts({ container: { HostConfig: { CapDrop: null } } }),
    );
    expect(outcome).toMatchObject({ status: "fail", message: "HostConfig.CapDrop is null, without ALL" });
  });

  it("compares Kubernetes literals exactly", () => {
    const lower = secureKubernetesFacts({ container: { securityContext: { capabilities: { drop: ["all"] } } } });
    expect(check("drop-all-capabilities").kubernetes(lower).status).toBe("fail");
  });

  it("allows NET_RAW on Docker but not on Kubernetes", () => {
    expect(
      check("no-added-capabilities").docker(secureDockerFacts({ container: { HostConfig: { CapAdd: ["NET_RAW"] } } }))
        .status,
    ).toBe("pass");
    const facts = secureKubernetesFacts({
      container: { securityContext: { capabilities: { drop: ["ALL"], add: ["NET_RAW"] } } },
    });
    expect(check("no-added-capabilities").kubernetes(facts).status).toBe("fail");
  });

  it("reduces added capabilities to NET_BIND_SERVICE and unsets privileged in the fix", () => {
    const facts = secureKubernetesFacts({
      container: {
        securityContext: { privileged: true, capabilities: { drop: [], add: ["NET_BIND_SERVICE", "NET_ADMIN"] } },
      },
    });
    expect(check("drop-all-capabilities").remediation.kubernetes?.(facts)).toEqual({
      container: { securityContext: { privileged: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } },
    });
  });
});

describe("network-isolation", () => {
  const onBridge = (icc: string | undefined) =>
    secureDockerFacts({
      container: {
        HostConfig: { NetworkMode: "bridge" },
        NetworkSettings: { Networks: { "app-net": undefined, bridge: {} } },
      },
      networks: [
        { Name: "bridge", Id: "n1", Options: icc === undefined ? {} : { "com.docker.network.bridge.enable_icc": icc } },
      ],
    });

  it('fails the default bridge unless icc is "false"', () => {
    expect(check("network-isolation").docker(onBridge("true")).status).toBe("fail");
    expect(check("network-isolation").docker(onBridge(undefined)).status).toBe("fail");
    expect(check("network-isolation").docker(onBridge("false")).status).toBe("pass");
  });

  it("is not evaluated on the bridge without the host's networks", () => {
    expect(check("network-isolation").docker({ ...onBridge("false"), networks: undefined }).status).toBe(
      "not-evaluated",
    );
  });

  it("is not evaluated when NetworkPolicies could not be read", () => {
    const facts = secureKubernetesFacts({
      networkPolicies: { value: undefined, unavailable: "forbidden: list networkpolicies" },
    });
    expect(check("network-isolation").kubernetes(facts)).toMatchObject({
      status: "not-evaluated",
      message: expect.stringContaining("forbidden"),
    });
  });

  it("names the selecting policies and whether egress is limited", () => {
    const ingressOnly = secureKubernetesFacts({
      networkPolicies: {
        value: [
          {
            metadata: { name: "deny-in" },
            spec: { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } },
          },
        ],
      },
    });
    expect(check("network-isolation").kubernetes(ingressOnly).message).toBe(
      "Ingress limited by deny-in; Egress not limited",
    );
    expect(check("network-isolation").kubernetes(secureKubernetesFacts()).message).toBe(
      "Ingress limited by default-deny; Egress limited too",
    );
  });

  it("ignores policies of other namespaces", () => {
    const facts = secureKubernetesFacts({
      networkPolicies: {
        value: [
          { metadata: { name: "deny", namespace: "other" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
        ],
      },
    });
    expect(check("network-isolation").kubernetes(facts).status).toBe("fail");
  });

  it("fixes with a default-deny ingress policy selecting the pod's labels", () => {
    const facts = secureKubernetesFacts({ networkPolicies: { value: [] } });
    expect(check("network-isolation").remediation.kubernetes?.(facts)).toEqual({
      manifest: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "web-default-deny-ingress", namespace: "shop" },
        spec: { podSelector: { matchLabels: { app: "web", tier: "frontend" } }, policyTypes: ["Ingress"] },
      },
    });
  });
});

describe("secrets", () => {
  it("passes DB_PASSWORD_FILE on both platforms", () => {
    const k8s = secureKubernetesFacts({ container: { env: [{ name: "DB_PASSWORD_FILE", value: "/run/secrets/db" }] } });
    const docker = secureDockerFacts({ container: { Config: { Env: ["DB_PASSWORD_FILE=/run/secrets/db"] } } });
    expect(check("secrets-from-secret-store").kubernetes(k8s).status).toBe("pass");
    expect(check("secrets-from-secret-store").docker(docker).status).toBe("pass");
  });

  it("fails a JWT under an innocuous name and names the rule, not the value", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbg";
    const facts = secureKubernetesFacts({
      container: {
        env: [
          { name: "APP_MODE", value: "prod" },
          { name: "CONFIG_BLOB", value: jwt },
        ],
      },
    });
    const outcome = check("secrets-from-secret-store").kubernetes(facts);
    expect(outcome).toMatchObject({ status: "fail", fieldPath: "spec.template.spec.containers[0].env[1].value" });
    expect(outcome.message).toBe("CONFIG_BLOB has a literal value that looks like a credential (rule jwt)");
  });

  it("replaces literal values with secretKeyRef", () => {
    const facts = secureKubernetesFacts({ container: { env: [{ name: "DB_PASSWORD", value: "hunter2-value" }] } });
    expect(check("secrets-from-secret-store").remediation.kubernetes?.(facts)).toEqual({
      container: {
        env: [
          {
            name: "DB_PASSWORD",
            value: null,
            valueFrom: { secretKeyRef: { name: "web-secrets", key: "db-password" } },
          },
        ],
      },
    });
  });

  it("judges only the container's own Docker env, not the image's", () => {
    const facts = secureDockerFacts({
      imageInspect: { Config: { Env: ["API_KEY=from-image"] } },
      container: { Config: { Env: ["API_KEY=from-image", "MODE=1"] } },
    });
    expect(check("secrets-from-secret-store").docker(facts).status).toBe("pass");
    expect(check("no-secrets-in-image").docker(facts)).toMatchObject({
      status: "fail",
      fieldPath: "ImageInspect.Config.Env[0]",
    });
  });

  it("is not evaluated without image inspect", () => {
    expect(check("no-secrets-in-image").docker(secureDockerFacts({ imageInspect: undefined })).status).toBe(
      "not-evaluated",
    );
  });
});

describe("images and reports", () => {
  it("pins to the running digest, or a placeholder when it is unknown", () => {
    const facts = secureKubernetesFacts({ container: { image: "ghcr.io/acme/api:latest" } });
    expect(check("image-pinned-by-digest").remediation.kubernetes?.(facts)).toEqual({
      container: { image: `ghcr.io/acme/api@${BASELINE_DIGEST}` },
    });
    const unknown = secureKubernetesFacts({ imageDigest: undefined, container: { image: "localhost:5000/api:1.4" } });
    expect(check("image-pinned-by-digest").remediation.kubernetes?.(unknown)).toEqual({
      container: { image: "localhost:5000/api:1.4@sha256:<digest>" },
    });
  });

  it("is not evaluated until vulnerability reports are ingested", () => {
    expect(
      check("image-vulnerability-scanned").kubernetes(secureKubernetesFacts({ vulnerabilityReport: undefined })).status,
    ).toBe("not-evaluated");
    expect(
      check("image-vulnerability-scanned").docker(
        secureDockerFacts({ vulnerabilityReport: { value: undefined, unavailable: "scanner offline" } }),
      ).status,
    ).toBe("not-evaluated");
  });

  it("is not applicable to service account tokens on Docker", () => {
    expect(check("no-service-account-token").docker(secureDockerFacts()).status).toBe("not-applicable");
  });
});
