import { defineCheck, fail, notEvaluated, pass } from "@/lib/checks/define-check";
import { containerPath } from "@/lib/domain/facts";
import type { DockerContainerFacts } from "@/lib/domain/facts";
import {
  describeSecret,
  findSecretsInEnv,
  findSecretsInOwnEnv,
  literalEnv,
  type SecretFinding,
} from "@/lib/checks/secrets";
import { secureDockerFacts, secureKubernetesFacts } from "@/lib/checks/testing/baseline";

const JWT = ["eyJhbGciOiJIUzI1NiJ9", "eyJzdWIiOiJwbGFudGVkIn0", "c2lnbmF0dXJlcGxhbnRlZA"].join(".");

function ownSecrets(facts: DockerContainerFacts): SecretFinding[] {
  return findSecretsInOwnEnv(facts.container.Config.Env ?? [], facts.imageInspect?.Config?.Env ?? []);
}

const secretKey = (name: string) => name.toLowerCase().replaceAll("_", "-");

export const secretsFromSecretStore = defineCheck({
  id: "secrets-from-secret-store",
  title: "Take secrets from a secret store",
  severity: "high",
  category: "secrets",
  seed: true,
  rationale:
    "Literal credentials in a pod spec or docker run command end up in Git, in the API server's storage, in `docker inspect` output and in every tool that reads them. Referencing a Kubernetes Secret or a mounted secret file keeps the value out of those places and lets it be rotated.",
  threat: "Anyone who can read the workload definition or inspect the container reads the credential.",
  references: { nsaCisa: ["secrets"], polaris: ["sensitiveContainerEnvVar"], kubescape: ["C-0012"] },
  fixSummary:
    "Reference secrets with valueFrom.secretKeyRef (Kubernetes) or mount them as files and pass NAME_FILE (Docker, Compose secrets).",
  platforms: {
    kubernetes: {
      judged:
        "Fails when an env[] entry with a secret-like name has a literal value instead of valueFrom.secretKeyRef, or any literal value looks like a credential.",
      evaluate(facts) {
        const env = facts.container.env ?? [];
        const found = findSecretsInEnv(literalEnv(env), { values: true })[0];
        if (found)
          return fail(describeSecret(found), { fieldPath: `${containerPath(facts)}.env[${found.index}].value` });
        return pass(`None of ${env.length} env entries holds a literal secret`, {
          fieldPath: `${containerPath(facts)}.env`,
        });
      },
      fix(facts) {
        const env = findSecretsInEnv(literalEnv(facts.container.env ?? []), { values: true }).map(({ name }) => ({
          name,
          value: null,
          valueFrom: { secretKeyRef: { name: `${facts.workload.name}-secrets`, key: secretKey(name) } },
        }));
        return { container: { env } };
      },
      examples: {
        pass: [
          secureKubernetesFacts(),
          secureKubernetesFacts({
            container: {
              env: [
                { name: "API_TOKEN", value: "" },
                { name: "MODE", value: "prod" },
              ],
            },
          }),
        ],
        fail: [
          secureKubernetesFacts({ container: { env: [{ name: "DB_PASSWORD", value: "planted-secret-value-5" }] } }),
          secureKubernetesFacts({ container: { env: [{ name: "SESSION_CONFIG", value: JWT }] } }),
          secureKubernetesFacts({
            container: { env: [{ name: "DATABASE_URL", value: "postgres://app:planted-secret-value-6@db:5432/app" }] },
          }),
        ],
      },
    },
    docker: {
      judged:
        "Fails when the container's own env (Config.Env minus the image's) has a secret-like variable with a value, or any value that looks like a credential; not evaluated for such a variable when the image's env is unknown (it may come from the image).",
      evaluate(facts) {
        const found = ownSecrets(facts)[0];
        // A Compose service's environment is all its own; an inspected container's may be the image's.
        if (found && !facts.imageInspect && !facts.fromCompose)
          return notEvaluated(
            `${describeSecret(found)} in Config.Env[${found.index}], which may come from the image: the image was not inspected, so its env could not be told apart`,
          );
        if (found) return fail(describeSecret(found), { fieldPath: `Config.Env[${found.index}]` });
        return pass("The container's env holds no literal secret", { fieldPath: "Config.Env" });
      },
      fix(facts) {
        const names = ownSecrets(facts).map((f) => f.name);
        return {
          remove: names.map((name) => `--env=${name}`),
          add: names.flatMap((name) => [
            `--mount=type=bind,source=./secrets/${secretKey(name)},target=/run/secrets/${secretKey(name)},readonly`,
            `--env=${name}_FILE=/run/secrets/${secretKey(name)}`,
          ]),
          compose: {
            secrets: names.map(secretKey),
            environment: Object.fromEntries(
              names.flatMap((name) => [
                [name, null],
                [`${name}_FILE`, `/run/secrets/${secretKey(name)}`],
              ]),
            ),
          },
        };
      },
      examples: {
        pass: [
          secureDockerFacts(),
          secureDockerFacts({
            imageInspect: { Config: { Env: ["PATH=/bin", "API_KEY=image-level"] } },
            container: { Config: { Env: ["PATH=/bin", "API_KEY=image-level"] } },
          }),
        ],
        fail: [
          secureDockerFacts({
            container: { Config: { Env: ["PATH=/usr/local/bin:/usr/bin:/bin", "API_KEY=planted-secret-value-7"] } },
          }),
          secureDockerFacts({ container: { Config: { Env: ["UPSTREAM=AKIAPLANTEDSECRET789"] } } }),
        ],
      },
    },
  },
});
