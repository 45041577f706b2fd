import { defineCheck, fail, notEvaluated, pass } from "@/lib/checks/define-check";
import { describeSecret, findSecretsInEnv, findSecretsInHistory, parseEnvEntry } from "@/lib/checks/secrets";
import { secureDockerFacts } from "@/lib/checks/testing/baseline";

export const noSecretsInImage = defineCheck({
  id: "no-secrets-in-image",
  title: "Keep secrets out of images",
  severity: "critical",
  category: "secrets",
  seed: true,
  rationale:
    "Anything in an image's config or layers is readable by everyone who can pull it, forever, including build arguments recorded in its history. Secrets baked into images leak through registries, caches and CI logs and cannot be rotated by redeploying.",
  threat: "Anyone with pull access to the registry reads a production credential from the image config or history.",
  references: { cisDocker: ["4.10"], kubescape: ["C-0012"] },
  fixSummary:
    "Remove secrets from ENV and ARG; pass them at build time with BuildKit secret mounts and at run time from a secret store.",
  platforms: {
    kubernetes: {
      judged: "Not evaluated: an image's config is not visible through the Kubernetes API.",
      evaluate: () =>
        notEvaluated(
          "The image config is not visible through the Kubernetes API and no image inspection source is configured",
        ),
    },
    docker: {
      judged:
        "Fails when the image's Config.Env has a secret-like variable with a value, or its history shows a build argument or ENV with a secret-like name and a value.",
      evaluate(facts) {
        if (!facts.imageInspect) return notEvaluated("The image was not inspected, so its config env is unknown");
        const env = (facts.imageInspect.Config?.Env ?? []).map(parseEnvEntry);
        const inEnv = findSecretsInEnv(env, { values: false })[0];
        if (inEnv)
          return fail(`Image ${describeSecret(inEnv)}`, { fieldPath: `ImageInspect.Config.Env[${inEnv.index}]` });
        if (!facts.imageHistory)
          return pass("Image Config.Env has no secret-like variable with a value", {
            fieldPath: "ImageInspect.Config.Env",
            detail: "Image history was not read.",
          });
        const inHistory = findSecretsInHistory(facts.imageHistory)[0];
        if (inHistory) {
          const what =
            inHistory.kind === "build-arg"
              ? "a build argument"
              : inHistory.kind === "arg"
                ? "an ARG default"
                : "an ENV instruction";
          return fail(
            `Image history step ${inHistory.step} sets ${inHistory.name} with ${what} (rule ${inHistory.rule})`,
            {
              fieldPath: `ImageHistory[${inHistory.step}].CreatedBy`,
            },
          );
        }
        return pass("Image Config.Env and history have no secret-like variable with a value", {
          fieldPath: "ImageInspect.Config.Env",
        });
      },
      fix(facts) {
        const env = (facts.imageInspect?.Config?.Env ?? []).map(parseEnvEntry);
        const names = [
          ...findSecretsInEnv(env, { values: false }),
          ...findSecretsInHistory(facts.imageHistory ?? []),
        ].map((f) => f.name);
        const first = names[0] ?? "SECRET";
        const id = first.toLowerCase();
        return {
          dockerfile: [
            `# remove ENV/ARG lines that set ${[...new Set(names)].join(", ") || first}`,
            `RUN --mount=type=secret,id=${id},env=${first} ./build.sh`,
          ],
          add: [`--env=${first}_FILE=/run/secrets/${id}`],
          compose: { secrets: [id], environment: { [`${first}_FILE`]: `/run/secrets/${id}` } },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({ imageInspect: { Config: { Env: ["DB_PASSWORD_FILE=/run/secrets/db", "API_TOKEN="] } } }),
          secureDockerFacts({
            imageHistory: [{ CreatedBy: "|1 VERSION=2 /bin/sh -c make" }, { CreatedBy: "ARG API_KEY" }],
          }),
        ],
        fail: [
          secureDockerFacts({ imageInspect: { Config: { Env: ["PATH=/bin", "DB_PASSWORD=planted-secret-value-1"] } } }),
          secureDockerFacts({
            imageHistory: [{ CreatedBy: "|2 API_KEY=planted-secret-value-2 VERSION=1 /bin/sh -c make" }],
          }),
          secureDockerFacts({
            imageHistory: [{ CreatedBy: "/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=planted-secret-value-3" }],
          }),
          secureDockerFacts({
            imageHistory: [{ CreatedBy: "RUN |1 GITHUB_TOKEN=planted-secret-value-4 /bin/sh -c git clone" }],
          }),
        ],
      },
    },
  },
});
