import { describe, expect, it } from "vitest";
import {
  credentialLikeValue,
  describeSecret,
  findSecretsInEnv,
  findSecretsInHistory,
  parseEnvEntry,
  secretLikeName,
} from "./secrets";

describe("secretLikeName", () => {
  it.each([
    ["DB_PASSWORD", "PASSWORD"],
    ["db_password", "PASSWORD"],
    ["MYSQL_ROOT_PASSWD", "PASSWD"],
    ["SMTP_PASS", "PASS"],
    ["PGPWD", null],
    ["PG_PWD", "PWD"],
    ["AWS_SECRET_ACCESS_KEY", "SECRET"],
    ["AWS_ACCESS_KEY_ID", "ACCESS_KEY"],
    ["GITHUB_TOKEN", "TOKEN"],
    ["github-token", "TOKEN"],
    ["app.token", "TOKEN"],
    ["STRIPE_API_KEY", "API_KEY"],
    ["stripe-apikey", "APIKEY"],
    ["TLS_PRIVATE_KEY", "PRIVATE_KEY"],
    ["GCP_CREDENTIALS", "CREDENTIALS"],
    ["REGISTRY_CREDENTIAL", "CREDENTIAL"],
    ["BASIC_AUTH", "AUTH"],
    ["SENTRY_DSN", "DSN"],
  ])("%s matches %s", (name, rule) => {
    expect(secretLikeName(name)).toBe(rule);
  });

  it.each([
    "DB_PASSWORD_FILE",
    "db_password_file",
    "TOKEN_PATH",
    "SECRET_DIR",
    "API_KEY_NAME",
    "PASSWORDLESS",
    "BYPASS_CACHE",
    "OAUTH_CALLBACK_URL",
    "AUTHOR",
    "KEYBOARD",
    "PRIVATE_REGISTRY",
    "API_URL",
    "ACCESS_LOG",
    "PATH",
    "HOME",
  ])("%s is not secret-like", (name) => {
    expect(secretLikeName(name)).toBeNull();
  });
});

describe("credentialLikeValue", () => {
  const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl";
  it.each([
    ["AKIAIOSFODNN7EXAMPLE", "aws-access-key"],
    ["key=ASIAY34FZKBOKMUTVV7A;", "aws-access-key"],
    ["ghp_16C7e42F292c6912E7710c838347Ae178B4a", "github-token"],
    ["gho_abcdefghijklmnop", "github-token"],
    ["ghs_abcdefghijklmnop", "github-token"],
    ["github_pat_11ABCDEFG_xyz", "github-token"],
    ["xoxb-1234-5678-abcdef", "slack-token"],
    ["xoxp-1234-5678", "slack-token"],
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...", "private-key"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "private-key"],
    ["-----BEGIN PRIVATE KEY-----", "private-key"],
    [jwt, "jwt"],
    [`Bearer ${jwt}`, "jwt"],
    ["postgres://app:s3cr3t@db:5432/app", "url-with-password"],
    ["redis://:s3cr3t@cache:6379/0", "url-with-password"],
    ["amqp+ssl://user:p%40ss@mq.internal/vhost", "url-with-password"],
  ])("%s is %s", (value, rule) => {
    expect(credentialLikeValue(value)).toBe(rule);
  });

  it.each([
    "production",
    "https://example.com/path",
    "postgres://app@db:5432/app",
    "postgres://app:$(DB_PASSWORD)@db:5432/app",
    "postgres://app:${DB_PASSWORD}@db/app",
    "AKIA-not-a-key",
    "akiaiosfodnn7example",
    "xoxz-1234",
    "-----BEGIN CERTIFICATE-----",
    "eyJhbGciOiJIUzI1NiJ9",
    "thighs_and_more",
    "user@example.com",
  ])("%s looks like no credential", (value) => {
    expect(credentialLikeValue(value)).toBeNull();
  });
});

describe("findSecretsInEnv", () => {
  const entries = [
    "PATH=/bin",
    "DB_PASSWORD=hunter2-value",
    "API_TOKEN=",
    "UPSTREAM=AKIAIOSFODNN7EXAMPLE",
    "DB_PASSWORD_FILE=/run/secrets/db",
    "EMPTY",
  ].map(parseEnvEntry);

  it("finds names with values, and credential values only when asked", () => {
    expect(findSecretsInEnv(entries, { values: true })).toEqual([
      { name: "DB_PASSWORD", rule: "PASSWORD", matched: "name", index: 1 },
      { name: "UPSTREAM", rule: "aws-access-key", matched: "value", index: 3 },
    ]);
    expect(findSecretsInEnv(entries, { values: false }).map((f) => f.name)).toEqual(["DB_PASSWORD"]);
  });

  it("describes a finding by name and rule only", () => {
    const [finding] = findSecretsInEnv(entries, { values: true });
    expect(finding && describeSecret(finding)).toBe(
      "DB_PASSWORD has a literal value and a secret-like name (rule PASSWORD)",
    );
  });

  it("keeps = inside values", () => {
    expect(parseEnvEntry("OPTS=a=b")).toEqual({ name: "OPTS", value: "a=b" });
  });
});

describe("findSecretsInHistory", () => {
  it("finds build arguments of RUN steps, legacy and BuildKit", () => {
    const history = [
      { CreatedBy: "|2 API_KEY=abc123 VERSION=1.2 /bin/sh -c make" },
      { CreatedBy: "RUN |1 NPM_TOKEN=xyz /bin/sh -c npm ci # buildkit" },
      { CreatedBy: "|1 VERSION=1.2 /bin/sh -c echo API_KEY=not-an-arg" },
    ];
    expect(findSecretsInHistory(history)).toEqual([
      { name: "API_KEY", rule: "API_KEY", step: 0, kind: "build-arg" },
      { name: "NPM_TOKEN", rule: "TOKEN", step: 1, kind: "build-arg" },
    ]);
  });

  it("finds ENV and ARG defaults with secret-like names and values", () => {
    const history = [
      { CreatedBy: "/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2" },
      { CreatedBy: 'ENV MODE=prod SECRET_KEY="abc def"' },
      { CreatedBy: "/bin/sh -c #(nop)  ENV AUTH_TOKEN legacy-form" },
      { CreatedBy: "ARG SIGNING_SECRET=default-value" },
      { CreatedBy: "ARG API_KEY" },
      { CreatedBy: "ENV DB_PASSWORD_FILE=/run/secrets/db" },
      { CreatedBy: "ENV PATH=/usr/bin" },
    ];
    expect(findSecretsInHistory(history).map((f) => [f.name, f.step, f.kind])).toEqual([
      ["DB_PASSWORD", 0, "env"],
      ["SECRET_KEY", 1, "env"],
      ["AUTH_TOKEN", 2, "env"],
      ["SIGNING_SECRET", 3, "arg"],
    ]);
  });

  it("tolerates entries without CreatedBy", () => {
    expect(findSecretsInHistory([{}, { CreatedBy: "" }])).toEqual([]);
  });
});
