import { defineCheck, fail, notEvaluated, pass } from "@/lib/checks/define-check";
import {
  describeSecret,
  findSecretsInEnv,
  findSecretsInHistory,
  parseEnvEntry,
  secretLikeName,
} from "@/lib/checks/secrets";
import { judgeImageConfigSecrets } from "@/lib/checks/support/image-config";
import { secureDockerFacts, secureDockerfileFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";
import { findDockerfileSecrets, instructionAt, instructionPath, withoutSecrets } from "@/lib/checks/support/dockerfile";
import { describeReport, layerSecretFailure } from "@/lib/checks/support/reports";
import { containerPath, type SecretReport } from "@/lib/domain/facts";

export const scannedForSecrets = (secrets: SecretReport["secrets"]) => ({
  value: {
    id: "r1",
    digest: "",
    matchedBy: "config" as const,
    scanner: "Trivy",
    scannedAt: "2026-01-01T00:00:00Z",
    secrets,
  },
});
const awsKey = [{ ruleId: "aws-secret-access-key", severity: "CRITICAL", file: "root/.aws/credentials", layer: null }];

export const noSecretsInImage = defineCheck({
  id: "no-secrets-in-image",
  title: "Keep secrets out of images",
  severity: "critical",
  category: "secrets",
  seed: true,
  rationale:
    "Anything in an image's config or layers is readable by everyone who can pull it, forever, including build arguments recorded in its history. Secrets baked into images leak through registries, caches and CI logs and cannot be rotated by redeploying.",
  threat: "Anyone with pull access to the registry reads a production credential from the image config or history.",
  references: { nsaCisa: ["secrets"], cisDocker: ["4.10"], kubescape: ["C-0012"] },
  evidence: "scanner-reports",
  fixSummary:
    "Remove secrets from ENV and ARG; pass them at build time with BuildKit secret mounts and at run time from a secret store.",
  platforms: {
    kubernetes: {
      judged:
        "Fails when the image config read from its registry has a secret-like variable with a value in Env, or its history shows a build argument or ENV with a secret-like name and a value, or a matching scanner report (Trivy, trivy-operator ExposedSecretReport) lists a secret in its layers; not evaluated when neither is available (the reason says why).",
      evaluate(facts) {
        const fromConfig = judgeImageConfigSecrets(facts.imageConfig);
        if (fromConfig.status === "fail") return fromConfig;
        const report = facts.secretReport && "value" in facts.secretReport ? facts.secretReport.value : null;
        const fieldPath = `${containerPath(facts)}.image`;
        const inLayers = layerSecretFailure(report, fieldPath);
        if (inLayers) return inLayers;
        if (!report)
          return fromConfig.status === "pass"
            ? fromConfig
            : notEvaluated(`${fromConfig.message}, and no scanner report lists the image's secrets`);
        const scanned = `The ${describeReport(report)} lists no secret in the image's layers.`;
        if (fromConfig.status === "pass") return { ...fromConfig, detail: `${fromConfig.detail} ${scanned}` };
        return pass(`The ${describeReport(report)} lists no secret in the image's layers`, {
          fieldPath,
          detail: `The image config (env, history) was not read: ${fromConfig.message}`,
        });
      },
      examples: {
        pass: [secureKubernetesFacts(), secureKubernetesFacts({ secretReport: scannedForSecrets([]) })],
        fail: [
          secureKubernetesFacts({
            imageConfig: { value: { envSecrets: [{ name: "API_TOKEN", rule: "TOKEN", index: 2 }] } },
          }),
          secureKubernetesFacts({
            imageConfig: {
              value: { historySecrets: [{ name: "API_KEY", rule: "API_KEY", step: 4, kind: "build-arg" }] },
            },
          }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when the image's Config.Env has a secret-like variable with a value, or its history shows a build argument or ENV with a secret-like name and a value, or a matching scanner report lists a secret in its layers.",
      evaluate(facts) {
        const inLayers = layerSecretFailure(
          facts.secretReport && "value" in facts.secretReport ? facts.secretReport.value : null,
          "Image",
        );
        if (!facts.imageInspect) {
          // A host that pruned the image: its registry's config stands in for the engine's.
          const fromConfig = facts.imageConfig ? judgeImageConfigSecrets(facts.imageConfig) : null;
          if (fromConfig?.status === "fail") return fromConfig;
          return inLayers ?? fromConfig ?? notEvaluated("The image was not inspected, so its config env is unknown");
        }
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
        if (inLayers) return inLayers;
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
          secureDockerFacts({ secretReport: scannedForSecrets(awsKey) }),
        ],
      },
    },
    dockerfile: {
      judged:
        "Fails when an ARG or ENV sets a secret-like name (or a credential-looking value) to a literal, or a COPY/ADD brings in a file named like a credential (.env, id_rsa, id_ed25519, *.pem, *.key, .npmrc, .netrc, credentials*.json).",
      evaluate(facts) {
        const found = findDockerfileSecrets(facts)[0];
        if (!found)
          return pass("No ARG or ENV sets a secret and no credential file is copied", {
            fieldPath: instructionPath(facts.dockerfile.stages[facts.stage]?.fromIndex ?? 0),
          });
        const line = instructionAt(facts, found.index)?.line;
        const fieldPath = instructionPath(found.index);
        if (found.rule === "credential-file")
          return fail(`${found.kind} at line ${line} puts ${found.name}, a credential file, into the image`, {
            fieldPath,
          });
        return fail(
          `${found.kind} at line ${line}: ${describeSecret({ name: found.name, rule: found.rule, matched: secretLikeName(found.name) ? "name" : "value" })}`,
          { fieldPath },
        );
      },
      fix(facts) {
        const secrets = findDockerfileSecrets(facts);
        const indexes = [...new Set(secrets.map((s) => s.index))];
        return {
          edits: indexes.map((at) => {
            const instruction = instructionAt(facts, at);
            const names = new Set(secrets.filter((s) => s.index === at).map((s) => s.name));
            const keep = instruction && (instruction.keyword === "ARG" || instruction.keyword === "ENV");
            return { at, line: keep ? withoutSecrets(instruction, names) : null };
          }),
        };
      },
      examples: {
        pass: [
          secureDockerfileFacts(),
          secureDockerfileFacts(
            "ENV NODE_ENV=production",
            "ENV NODE_ENV=production NPM_TOKEN_FILE=/run/secrets/npm API_TOKEN=",
          ),
          secureDockerfileFacts("ARG NODE_VERSION=22", "ARG NODE_VERSION=22\nARG NPM_TOKEN"),
        ],
        fail: [
          secureDockerfileFacts("ARG NODE_VERSION=22", "ARG NODE_VERSION=22 NPM_TOKEN=planted-secret-value-8"),
          secureDockerfileFacts(
            "ENV NODE_ENV=production",
            'ENV NODE_ENV=production DB_PASSWORD="planted secret value"',
          ),
          secureDockerfileFacts("ENV NODE_ENV=production", "ENV UPSTREAM AKIAPLANTEDSECRET789"),
          secureDockerfileFacts("COPY . .", "COPY . .\nCOPY .env /src/.env"),
          secureDockerfileFacts("COPY --from=build", "COPY deploy/id_rsa /root/.ssh/id_rsa\nCOPY --from=build"),
          secureDockerfileFacts(
            "COPY --from=build",
            "COPY <<EOF /app/.env\nAPI_KEY=planted-secret-value-9\nEOF\nCOPY --from=build",
          ),
        ],
      },
    },
  },
});
