const page = { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } };
const check = { name: "check", in: "query", schema: { type: "string", pattern: "^[a-z0-9-]{1,80}$" } };
const target = { name: "target", in: "query", description: "Target id", schema: { type: "string", format: "uuid" } };
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

/** The read-only API's contract; `GET /api/v1/openapi.json` serves it. */
export const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "Rampart read API", version: "1" },
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
