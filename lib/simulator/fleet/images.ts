import { sha256Hex } from "./random";

/** An image as the engine stores it: config user and env, and the build steps `docker history` shows. */
export interface ImageSpec {
  id: string;
  reference: string;
  repoTags: string[];
  repoDigests: string[];
  user: string;
  env: string[];
  history: string[];
  created: number;
  size: number;
}

interface Recipe {
  reference: string;
  user?: string;
  env?: string[];
  steps?: string[];
  /** Pulled by digest, so containers reference `repo@sha256:…`. */
  pinned?: boolean;
}

const BASE_STEPS = ["/bin/sh -c #(nop) ADD file:4f2a in / ", '/bin/sh -c #(nop)  CMD ["sh"]'];

// A mix of public and in-house images; a few carry fake secrets in ENV or build args, as careless builds do.
const RECIPES: Recipe[] = [
  { reference: "nginx:1.27", env: ["NGINX_VERSION=1.27.4"] },
  { reference: "nginx:latest", env: ["NGINX_VERSION=1.27.4"] },
  { reference: "redis:7.4", user: "" },
  { reference: "postgres:16", env: ["PGDATA=/var/lib/postgresql/data"] },
  { reference: "busybox:latest" },
  { reference: "alpine:3.20" },
  { reference: "node:20-slim", env: ["NODE_VERSION=20.20.0"] },
  { reference: "python:3.12-slim", env: ["PYTHON_VERSION=3.12.8"] },
  { reference: "grafana/grafana:11.3.0", user: "472" },
  { reference: "prom/prometheus:v2.55.0", user: "nobody" },
  { reference: "traefik:v3.2" },
  { reference: "ghcr.io/acme/api:2.4.1", user: "10001", pinned: true },
  { reference: "ghcr.io/acme/web:5.0.3", user: "10001", pinned: true },
  { reference: "ghcr.io/acme/worker:1.9.0", pinned: true },
  {
    reference: "registry.acme.test/billing:0.8.2",
    env: ["STRIPE_API_KEY=sk_test_FAKE0000simulated0000"],
  },
  {
    reference: "registry.acme.test/legacy-cron:latest",
    steps: [
      "/bin/sh -c #(nop)  ARG DB_PASSWORD=simulated-not-a-secret",
      "|1 DB_PASSWORD=simulated-not-a-secret /bin/sh -c make",
    ],
  },
  { reference: "registry.acme.test/reports:3.1.0", user: "1000:1000", pinned: true },
  { reference: "mysql:8.4", env: ["MYSQL_MAJOR=8.4"] },
];

function repository(reference: string): string {
  return reference.replace(/:[^/:]+$/, "");
}

function toImage(recipe: Recipe, index: number): ImageSpec {
  const id = `sha256:${sha256Hex(`image:${recipe.reference}`)}`;
  const digest = `sha256:${sha256Hex(`digest:${recipe.reference}`)}`;
  const repoDigest = `${repository(recipe.reference)}@${digest}`;
  return {
    id,
    reference: recipe.pinned ? repoDigest : recipe.reference,
    repoTags: [recipe.reference],
    repoDigests: [repoDigest],
    user: recipe.user ?? "",
    env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...(recipe.env ?? [])],
    history: [...BASE_STEPS, ...(recipe.steps ?? []), '/bin/sh -c #(nop)  ENTRYPOINT ["/entrypoint.sh"]'],
    created: 1_730_000_000 + index * 86_400,
    size: 20_000_000 + index * 7_340_033,
  };
}

export const IMAGE_CATALOG: readonly ImageSpec[] = RECIPES.map(toImage);
