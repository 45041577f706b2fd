const page = { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } };
const check = { name: "check", in: "query", schema: { type: "string", pattern: "^[a-z0-9-]{1,80}$" } };
const target = { name: "target", in: "query", description: "Target name", schema: { type: "string" } };
const text = (name: string, description: string) => ({ name, in: "query", description, schema: { type: "string" } });
const errors = {
  "400": {
    description: "Unknown or malformed query parameter",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  },
  "401": { description: "No, unknown, expired or revoked token" },
  "403": { description: "The token's role is too low" },
};

function list(summary: string, key: string, item: string, parameters: object[]) {
  return {
    get: {
      summary,
      parameters,
      responses: {
        "200": {
          description: "OK",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: { [key]: { type: "array", items: { $ref: `#/components/schemas/${item}` } } },
              },
            },
          },
        },
        ...errors,
      },
    },
  };
}

function ingested() {
  return {
    "application/json": {
      schema: {
        type: "object",
        properties: { reports: { type: "array", items: { $ref: "#/components/schemas/IngestedReport" } } },
      },
    },
  };
}

function errorBody() {
  return { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
}

/** The API's contract; `GET /api/v1/openapi.json` serves it. */
export const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "Rampart API", version: "1" },
  security: [{ bearer: [] }],
  paths: {
    "/api/v1/targets": list("Docker hosts and Kubernetes clusters, with their last run", "targets", "Target", []),
    "/api/v1/workloads": list("Current workloads and their containers (100 a page)", "workloads", "Workload", [
      target,
      { name: "namespace", in: "query", schema: { type: "string" } },
      { name: "kind", in: "query", schema: { type: "string" } },
      page,
    ]),
    "/api/v1/workloads/{workloadId}": {
      get: {
        summary: "One workload: its current containers' checks, each failing one's fix, and the combined fix",
        parameters: [{ name: "workloadId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": {
            description: "OK",
            content: {
              "application/json": {
                schema: { type: "object", properties: { workload: { $ref: "#/components/schemas/WorkloadDetail" } } },
              },
            },
          },
          "404": { description: "No such workload" },
          ...errors,
        },
      },
    },
    "/api/v1/findings": list(
      "Open findings, most severe then newest first (the violations page's filters)",
      "findings",
      "Finding",
      [
        { name: "severity", in: "query", schema: { type: "string", enum: ["critical", "high", "medium", "low"] } },
        check,
        {
          name: "status",
          in: "query",
          schema: { type: "string", enum: ["open", "excepted", "resolved"], default: "open" },
        },
        target,
        text("namespace", "Namespace, exact"),
        text("team", "The team label of the workload or its namespace"),
        {
          name: "since",
          in: "query",
          description: "First seen at or after this date (YYYY-MM-DD, UTC) or ISO time",
          schema: { type: "string" },
        },
        text("workload", "Part of the workload name"),
        text("image", "Part of the image reference"),
        text("label", "key=value or key on the workload's or its namespace's labels"),
        {
          name: "sort",
          in: "query",
          schema: { type: "string", enum: ["severity", "check", "target", "workload", "first-seen", "last-seen"] },
        },
        { name: "dir", in: "query", schema: { type: "string", enum: ["asc", "desc"] } },
        { name: "size", in: "query", schema: { type: "integer", enum: [5, 10, 25, 50, 100, 200], default: 50 } },
        page,
      ],
    ),
    "/api/v1/trends": list(
      "Passed and failed checks per UTC day (each target's last run of the day)",
      "points",
      "TrendPoint",
      [
        { name: "days", in: "query", schema: { type: "integer", minimum: 1, maximum: 365, default: 30 } },
        target,
        check,
      ],
    ),
    "/api/v1/reports": {
      post: {
        summary:
          "Ingest one scanner report (Trivy JSON or CycloneDX, Grype JSON, trivy-operator report, OpenVEX, CycloneDX VEX); engineer role. Idempotent by content hash",
        requestBody: {
          required: true,
          description: "The report file as written by the scanner, at most 32 MB, with a Content-Length",
          content: {
            "application/json": { schema: { type: "object" } },
            "application/yaml": { schema: { type: "string" } },
          },
        },
        responses: {
          "200": { description: "Already held: nothing changed", content: ingested() },
          "201": { description: "Stored", content: ingested() },
          "400": { description: "Not a readable report: the error names the field", content: errorBody() },
          "401": errors["401"],
          "403": errors["403"],
          "411": { description: "No Content-Length" },
          "413": { description: "Larger than 32 MB" },
        },
      },
    },
    "/api/v1/vulnerability-exceptions": {
      ...list("Active vulnerability exceptions", "exceptions", "VulnerabilityException", []),
      post: {
        summary:
          "Accept one vulnerability (optionally for an image, namespace or workload) until it expires; security role",
        requestBody: {
          required: true,
          content: { "application/json": { schema: { $ref: "#/components/schemas/VulnerabilityExceptionInput" } } },
        },
        responses: {
          "201": { description: "Created (audited)" },
          "400": { description: "Invalid input", content: errorBody() },
          "401": errors["401"],
          "403": errors["403"],
        },
      },
    },
    "/api/v1/vulnerability-exceptions/{exceptionId}": {
      delete: {
        summary: "Revoke a vulnerability exception at once (audited); security role",
        parameters: [{ name: "exceptionId", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": { description: "Revoked" },
          "404": { description: "No such exception" },
          "401": errors["401"],
          "403": errors["403"],
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token from /admin/tokens" } },
    schemas: {
      Error: {
        type: "object",
        properties: { error: { type: "string" }, issues: { type: "array", items: { type: "object" } } },
      },
      Target: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          name: { type: "string" },
          platform: { type: "string", enum: ["docker", "kubernetes"] },
          url: { type: "string" },
          enabled: { type: "boolean" },
          intervalSeconds: { type: "integer" },
          containers: { type: "integer" },
          lastRun: { type: ["object", "null"] },
        },
      },
      Workload: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          targetId: { type: "string", format: "uuid" },
          targetName: { type: "string" },
          namespace: { type: "string" },
          kind: { type: "string" },
          name: { type: "string" },
          replicas: { type: "integer" },
          containers: { type: "array", items: { type: "object" } },
          openFindings: { type: "integer" },
        },
      },
      WorkloadDetail: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          kind: { type: "string" },
          name: { type: "string" },
          namespace: { type: "string" },
          containers: { type: "array", items: { type: "object" } },
          remediation: {
            type: ["object", "null"],
            description:
              "Combined fix: summary, closes, and kubernetesPatch + kubectl, kubernetesManifest (NetworkPolicy), podManifest",
          },
        },
      },
      Finding: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          checkId: { type: "string" },
          severity: { type: "string" },
          targetName: { type: "string" },
          namespace: { type: "string" },
          workloadKind: { type: "string" },
          workloadName: { type: "string" },
          containerName: { type: "string" },
          image: { type: "string" },
          message: { type: "string" },
          fieldPath: { type: "string" },
          firstSeenAt: { type: "string", format: "date-time" },
          isExcepted: { type: "boolean" },
        },
      },
      IngestedReport: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          contentHash: { type: "string" },
          status: { type: "string", enum: ["stored", "older", "unchanged"] },
          format: { type: "string" },
          scanner: { type: "string" },
          digests: { type: "array", items: { type: "object" } },
          vulnerabilities: { type: "integer" },
          secrets: { type: "integer" },
          statements: { type: "integer" },
        },
      },
      VulnerabilityExceptionInput: {
        type: "object",
        required: ["vulnerabilityId", "reason", "owner", "expiresAt"],
        properties: {
          vulnerabilityId: { type: "string", examples: ["CVE-2024-3094"] },
          image: { type: ["string", "null"] },
          namespace: { type: ["string", "null"] },
          workload: { type: ["string", "null"] },
          reason: { type: "string" },
          owner: { type: "string" },
          expiresAt: { type: "string", format: "date-time" },
        },
      },
      VulnerabilityException: {
        type: "object",
        properties: {
          id: { type: "string", format: "uuid" },
          vulnerabilityId: { type: "string" },
          image: { type: ["string", "null"] },
          namespace: { type: ["string", "null"] },
          workload: { type: ["string", "null"] },
          reason: { type: "string" },
          expiresAt: { type: "string", format: "date-time" },
        },
      },
      TrendPoint: {
        type: "object",
        properties: {
          day: { type: "string", format: "date" },
          passed: { type: "integer" },
          failed: { type: "integer" },
        },
      },
    },
  },
} as const;
