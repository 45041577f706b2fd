// Secure baselines for check tests: a fully hardened container that passes every check.
// Tests change one field at a time (Pod Security Admission's fixture style).
import type {
  DockerContainerFacts,
  DockerfileContainerFacts,
  FactsOf,
  KubernetesContainerFacts,
  Platform,
} from "@/lib/domain/facts";
import { dockerfileWorkload } from "@/lib/manifests/dockerfile";
import type { Container } from "@/lib/domain/kubernetes";

export const BASELINE_DIGEST = `sha256:${"a1b2c3d4".repeat(8)}`;
export const BASELINE_IMAGE = `registry.example.com/acme/web:1.4.2@${BASELINE_DIGEST}`;

export type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | undefined | null }
    : T;

/** Either a deep-partial object (arrays replace, `undefined` deletes a key) or a function that edits the facts. */
export type Tweak<T> = DeepPartial<T> | ((facts: T) => void);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepMerge<T>(base: T, overrides: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(overrides)) return overrides as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out as T;
}

function applyTweak<T>(facts: T, tweak: Tweak<T> | undefined): T {
  if (tweak === undefined) return facts;
  if (typeof tweak === "function") {
    (tweak as (facts: T) => void)(facts);
    return facts;
  }
  return deepMerge(facts, tweak);
}

function secureContainer(): Container {
  return {
    name: "web",
    image: BASELINE_IMAGE,
    ports: [{ containerPort: 8080, protocol: "TCP" }],
    env: [
      { name: "APP_MODE", value: "production" },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "web-secrets", key: "db-password" } } },
      { name: "DB_PASSWORD_FILE", value: "/run/secrets/db-password" },
    ],
    resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

/**
 * A Deployment's container in namespace `shop`, selected by a default-deny NetworkPolicy.
 * Tweak `container`, not the pod's list entry: the container is written back into `pod.spec[list][index]`.
 */
export function secureKubernetesFacts(tweak?: Tweak<KubernetesContainerFacts>): KubernetesContainerFacts {
  const facts: KubernetesContainerFacts = {
    platform: "kubernetes",
    workload: { platform: "kubernetes", kind: "Deployment", namespace: "shop", name: "web" },
    name: "web",
    image: BASELINE_IMAGE,
    imageDigest: BASELINE_DIGEST,
    source: "deploy/web.yaml#0",
    vulnerabilityReport: {
      value: {
        digest: BASELINE_DIGEST,
        scanner: "trivy",
        scannedAt: new Date().toISOString(),
        fixableHighOrCritical: [],
      },
    },
    dependencyReport: {
      value: {
        digest: BASELINE_DIGEST,
        scanner: "trivy",
        scannedAt: new Date().toISOString(),
        fixableHighOrCritical: [],
      },
    },
    pod: {
      metadata: { labels: { app: "web", tier: "frontend" } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        containers: [secureContainer()],
        volumes: [{ name: "tmp", emptyDir: {} }],
      },
    },
    specPath: "spec.template.spec",
    list: "containers",
    index: 0,
    container: secureContainer(),
    networkPolicies: {
      value: [
        {
          metadata: { name: "default-deny", namespace: "shop" },
          spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress", "Egress"] },
        },
      ],
    },
    serviceAccountAutomount: null,
    imageConfig: {
      value: {
        digest: BASELINE_DIGEST,
        digestSource: "running",
        platform: "linux/amd64",
        configDigest: `sha256:${"c0ffee00".repeat(8)}`,
        user: "10001",
        envSecrets: [],
        historySecrets: [],
      },
    },
  };
  return syncContainer(applyTweak(facts, tweak));
}

/** Keeps `facts.container` and its place in the pod spec the same object after a tweak. */
function syncContainer(facts: KubernetesContainerFacts): KubernetesContainerFacts {
  const list = facts.pod.spec[facts.list] ?? [];
  const copy = [...list];
  copy[facts.index] = facts.container;
  facts.pod.spec[facts.list] = copy;
  facts.image = facts.container.image ?? facts.image;
  return facts;
}

/** A container on a user-defined network, from a digest-pinned image with a clean config. */
export function secureDockerFacts(tweak?: Tweak<DockerContainerFacts>): DockerContainerFacts {
  const facts: DockerContainerFacts = {
    platform: "docker",
    workload: { platform: "docker", kind: "Container", namespace: "", name: "web" },
    name: "web",
    image: BASELINE_IMAGE,
    imageDigest: BASELINE_DIGEST,
    source: "unix:///var/run/docker.sock",
    vulnerabilityReport: {
      value: {
        digest: BASELINE_DIGEST,
        scanner: "grype",
        scannedAt: new Date().toISOString(),
        fixableHighOrCritical: [],
      },
    },
    dependencyReport: {
      value: {
        digest: BASELINE_DIGEST,
        scanner: "grype",
        scannedAt: new Date().toISOString(),
        fixableHighOrCritical: [],
      },
    },
    container: {
      Id: "c0ffee".repeat(10) + "abcd",
      Name: "/web",
      Image: BASELINE_DIGEST,
      Config: {
        User: "10001",
        Image: BASELINE_IMAGE,
        Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "APP_MODE=production", "DB_PASSWORD_FILE=/run/secrets/db_password"],
        Labels: {},
      },
      HostConfig: {
        Privileged: false,
        ReadonlyRootfs: true,
        CapAdd: null,
        CapDrop: ["ALL"],
        SecurityOpt: ["no-new-privileges:true"],
        NetworkMode: "app-net",
        PidMode: "",
        IpcMode: "private",
        UTSMode: "",
        UsernsMode: "",
        Memory: 268_435_456,
        NanoCpus: 500_000_000,
        CpuQuota: 0,
        PidsLimit: 256,
        PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }] },
        Binds: null,
      },
      Mounts: [{ Type: "volume", Source: "/var/lib/docker/volumes/web-data/_data", Destination: "/data", RW: true }],
      AppArmorProfile: "docker-default",
      NetworkSettings: {
        Networks: { "app-net": { NetworkID: "n2" } },
        Ports: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "8080" }] },
      },
      State: { Status: "running", Running: true },
    },
    imageInspect: {
      Id: BASELINE_DIGEST,
      RepoDigests: [`registry.example.com/acme/web@${BASELINE_DIGEST}`],
      Config: { Env: ["PATH=/usr/local/bin:/usr/bin:/bin"], User: "10001" },
    },
    imageHistory: [
      { CreatedBy: "USER 10001" },
      { CreatedBy: "RUN |1 VERSION=1.4.2 /bin/sh -c make install # buildkit" },
      { CreatedBy: "ENV PATH=/usr/local/bin:/usr/bin:/bin" },
      { CreatedBy: "/bin/sh -c #(nop) ADD file:abc in / " },
    ],
    info: {
      Name: "host-1",
      ServerVersion: "27.3.1",
      SecurityOptions: ["name=apparmor", "name=seccomp,profile=builtin", "name=cgroupns"],
    },
    networks: [
      { Name: "bridge", Id: "n1", Driver: "bridge", Options: { "com.docker.network.bridge.enable_icc": "true" } },
      { Name: "app-net", Id: "n2", Driver: "bridge", Options: {} },
      { Name: "host", Id: "n3", Driver: "host", Options: {} },
      { Name: "none", Id: "n4", Driver: "null", Options: {} },
    ],
  };
  return applyTweak(facts, tweak);
}

/** A two-stage build: a pinned builder, a pinned runtime image, a non-root USER, secrets only as BuildKit mounts. */
export const SECURE_DOCKERFILE = `# syntax=docker/dockerfile:1
ARG NODE_VERSION=22
FROM node:22.11@${BASELINE_DIGEST} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs22-debian12:nonroot@${BASELINE_DIGEST}
ENV NODE_ENV=production PORT=8080
COPY --from=build /src/dist /app
USER 10001:10001
CMD ["/app/server.js"]
`;

/** The final stage of a Dockerfile, as `rampart scan` reads it; tests tweak the secure one's text. */
export function dockerfileFacts(text: string, source = "build/Dockerfile"): DockerfileContainerFacts {
  const facts = dockerfileWorkload(text, source).input?.containers[0];
  if (facts?.platform !== "dockerfile") throw new Error("not a Dockerfile");
  return facts;
}

/** The secure Dockerfile with `from` replaced by `to` (a tweak that must apply). */
export function secureDockerfileFacts(from?: string | RegExp, to = ""): DockerfileContainerFacts {
  if (from === undefined) return dockerfileFacts(SECURE_DOCKERFILE);
  const text = SECURE_DOCKERFILE.replace(from, to);
  if (text === SECURE_DOCKERFILE) throw new Error(`tweak ${String(from)} changed nothing`);
  return dockerfileFacts(text);
}

/** Each platform's secure baseline, for tests that run on every platform. */
export const SECURE_FACTS: { [P in Platform]: () => FactsOf<P> } = {
  kubernetes: () => secureKubernetesFacts(),
  docker: () => secureDockerFacts(),
  dockerfile: () => secureDockerfileFacts(),
};
