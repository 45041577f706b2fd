import { describe, expect, it } from "vitest";
import type { Container, PodTemplate } from "@/lib/domain/kubernetes";
import { CONTROLS_BY_LEVEL, evaluatePodSecurity, evaluatePodSecurityLevel } from "./index";
import { isCorpusRequired, isPssCorpusPresent, loadPssCorpus, PSS_CORPUS_MISSING } from "./testing/pss-corpus";

const corpusPresent = isPssCorpusPresent();
if (!corpusPresent && !isCorpusRequired()) console.warn(`skipping PSS conformance: ${PSS_CORPUS_MISSING}`);

describe("PSS conformance corpus (policy v1.37)", () => {
  it("is present, or not required (RAMPART_REQUIRE_ALL unset)", () => {
    expect(corpusPresent || !isCorpusRequired(), PSS_CORPUS_MISSING).toBe(true);
  });

  const corpus = corpusPresent ? loadPssCorpus() : null;

  if (corpus) {
    it("holds 148 fixtures and orders the checks as upstream", () => {
      expect(corpus.fixtures).toHaveLength(148);
      expect(CONTROLS_BY_LEVEL.baseline.map((c) => c.id)).toEqual(corpus.checksPerLevel.baseline);
      expect(CONTROLS_BY_LEVEL.restricted.map((c) => c.id)).toEqual(corpus.checksPerLevel.restricted);
    });
  }

  for (const fixture of corpus?.fixtures ?? []) {
    it(`${fixture.file} is ${fixture.expected} at ${fixture.level}`, () => {
      const verdict = evaluatePodSecurityLevel(fixture.pod, fixture.level);
      expect(verdict.allowed).toBe(fixture.expected === "pass");
      expect([...verdict.violations].sort()).toEqual([...fixture.failing_checks].sort());
    });
  }
});

// Tweak-one-field cases for what the corpus leaves out, starting from a restricted-compliant pod.
function securePod(change: (pod: PodTemplate & { spec: { containers: Container[] } }) => void = () => {}): PodTemplate {
  const container = (name: string): Container => ({
    name,
    image: "registry.k8s.io/pause",
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  });
  const pod = {
    metadata: { name: "secure" },
    spec: {
      containers: [container("app")],
      initContainers: [container("init")],
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    },
  };
  change(pod);
  return pod;
}

function containerOf(pod: PodTemplate): Container {
  const first = pod.spec.containers[0];
  if (!first) throw new Error("secure pod has a container");
  return first;
}

describe("PSS controls beyond the corpus", () => {
  it("the secure pod passes both levels", () => {
    expect(evaluatePodSecurity(securePod())).toEqual({
      baseline: { allowed: true, violations: [] },
      restricted: { allowed: true, violations: [] },
    });
  });

  it("rejects an Unconfined appArmorProfile field on the container", () => {
    const pod = securePod((p) => {
      containerOf(p).securityContext = { ...containerOf(p).securityContext, appArmorProfile: { type: "Unconfined" } };
    });
    expect(evaluatePodSecurityLevel(pod, "baseline").violations).toEqual(["appArmorProfile"]);
  });

  it("rejects an Unconfined appArmorProfile on the pod and accepts Localhost", () => {
    const bad = securePod((p) => {
      p.spec.securityContext = { ...p.spec.securityContext, appArmorProfile: { type: "Unconfined" } };
    });
    const good = securePod((p) => {
      p.spec.securityContext = {
        ...p.spec.securityContext,
        appArmorProfile: { type: "Localhost", localhostProfile: "x" },
      };
    });
    expect(evaluatePodSecurityLevel(bad, "restricted").violations).toEqual(["appArmorProfile"]);
    expect(evaluatePodSecurityLevel(good, "restricted").allowed).toBe(true);
  });

  it("judges ephemeral containers", () => {
    const pod = securePod((p) => {
      p.spec.ephemeralContainers = [{ name: "debug", image: "busybox", securityContext: { privileged: true } }];
    });
    expect(evaluatePodSecurityLevel(pod, "baseline").violations).toEqual(["privileged"]);
    expect(evaluatePodSecurityLevel(pod, "restricted").violations).toEqual([
      "privileged",
      "allowPrivilegeEscalation",
      "capabilities_restricted",
    ]);
  });

  it("hostUsers: false relaxes runAsNonRoot and runAsUser but not procMount_restricted", () => {
    const rootPod = securePod((p) => {
      p.spec.securityContext = { runAsUser: 0, runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } };
    });
    expect(evaluatePodSecurityLevel(rootPod, "restricted").violations).toEqual(["runAsNonRoot", "runAsUser"]);
    const userNamespaced = { ...rootPod, spec: { ...rootPod.spec, hostUsers: false } };
    expect(evaluatePodSecurityLevel(userNamespaced, "restricted").allowed).toBe(true);
    containerOf(userNamespaced).securityContext = {
      ...containerOf(userNamespaced).securityContext,
      procMount: "Unmasked",
    };
    expect(evaluatePodSecurityLevel(userNamespaced, "restricted").violations).toEqual(["procMount_restricted"]);
    expect(evaluatePodSecurityLevel(userNamespaced, "baseline").allowed).toBe(true);
  });

  it("an explicit pod-level runAsNonRoot: false fails even when every container says true", () => {
    const pod = securePod((p) => {
      p.spec.securityContext = { runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } };
      for (const c of [...p.spec.containers, ...(p.spec.initContainers ?? [])]) {
        c.securityContext = { ...c.securityContext, runAsNonRoot: true };
      }
    });
    expect(evaluatePodSecurityLevel(pod, "restricted").violations).toEqual(["runAsNonRoot"]);
  });

  it("accepts SELinux type container_engine_t and rejects other types", () => {
    const withType = (type: string) =>
      securePod((p) => {
        containerOf(p).securityContext = { ...containerOf(p).securityContext, seLinuxOptions: { type } };
      });
    expect(evaluatePodSecurityLevel(withType("container_engine_t"), "baseline").allowed).toBe(true);
    expect(evaluatePodSecurityLevel(withType("spc_t"), "baseline").violations).toEqual(["seLinuxOptions"]);
  });

  it("judges a pod with null or missing parts without throwing", () => {
    const bare = {
      metadata: null,
      spec: { containers: null, volumes: [null, { name: "v" }] },
    } as unknown as PodTemplate;
    expect(evaluatePodSecurity(bare).restricted).toEqual({ allowed: true, violations: [] });
    expect(evaluatePodSecurity({ spec: null } as unknown as PodTemplate).baseline.allowed).toBe(true);
  });

  it("rejects every restricted volume source and accepts the allowed ones", () => {
    const withVolume = (source: Record<string, unknown>) =>
      securePod((p) => {
        p.spec.volumes = [{ name: "v", ...source }];
      });
    expect(evaluatePodSecurityLevel(withVolume({ nfs: { server: "s", path: "/" } }), "restricted").violations).toEqual([
      "restrictedVolumes",
    ]);
    expect(evaluatePodSecurityLevel(withVolume({ hostPath: { path: "/" } }), "baseline").violations).toEqual([
      "hostPathVolumes",
    ]);
    expect(evaluatePodSecurityLevel(withVolume({ projected: { sources: [] } }), "restricted").allowed).toBe(true);
  });

  it("treats null fields as unset", () => {
    const pod = securePod((p) => {
      p.spec.volumes = [{ name: "scratch", hostPath: null, emptyDir: null }];
      p.spec.hostNetwork = null;
      containerOf(p).ports = [{ containerPort: 80, hostPort: null }];
    });
    expect(evaluatePodSecurity(pod).restricted.allowed).toBe(true);
  });
});
