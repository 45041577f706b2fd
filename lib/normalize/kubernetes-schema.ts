import { z } from "zod";

// Only the fields that checks and Pod Security read are typed; everything else passes through,
// so a manifest is rejected only for what would make an evaluation wrong.

const optionalBoolean = z.boolean().nullish();
const optionalInt = z.int().nullish();
const optionalString = z.string().nullish();
const stringList = z.array(z.string()).nullish();
const stringMap = z.record(z.string(), z.string()).nullish();

const typedProfile = z.looseObject({ type: optionalString, localhostProfile: optionalString }).nullish();
const seLinuxOptions = z
  .looseObject({ user: optionalString, role: optionalString, type: optionalString, level: optionalString })
  .nullish();
const windowsOptions = z.looseObject({ hostProcess: optionalBoolean }).nullish();

const sharedSecurityFields = {
  runAsUser: optionalInt,
  runAsGroup: optionalInt,
  runAsNonRoot: optionalBoolean,
  seccompProfile: typedProfile,
  appArmorProfile: typedProfile,
  seLinuxOptions,
  windowsOptions,
};

const securityContextSchema = z
  .looseObject({
    ...sharedSecurityFields,
    readOnlyRootFilesystem: optionalBoolean,
    allowPrivilegeEscalation: optionalBoolean,
    privileged: optionalBoolean,
    capabilities: z.looseObject({ add: stringList, drop: stringList }).nullish(),
    procMount: optionalString,
  })
  .nullish();

const podSecurityContextSchema = z
  .looseObject({
    ...sharedSecurityFields,
    fsGroup: optionalInt,
    sysctls: z.array(z.looseObject({ name: z.string(), value: optionalString })).nullish(),
  })
  .nullish();

const handlerHost = z
  .looseObject({
    httpGet: z.looseObject({ host: optionalString }).nullish(),
    tcpSocket: z.looseObject({ host: optionalString }).nullish(),
  })
  .nullish();

const quantityMap = z.record(z.string(), z.union([z.string(), z.number()])).nullish();

export const containerSchema = z.looseObject({
  name: z.string().min(1),
  image: z.string().min(1),
  securityContext: securityContextSchema,
  env: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        value: optionalString,
        valueFrom: z.record(z.string(), z.unknown()).nullish(),
      }),
    )
    .nullish(),
  envFrom: z.array(z.record(z.string(), z.unknown())).nullish(),
  ports: z
    .array(
      z.looseObject({
        containerPort: optionalInt,
        hostPort: optionalInt,
        protocol: optionalString,
        name: optionalString,
      }),
    )
    .nullish(),
  resources: z.looseObject({ limits: quantityMap, requests: quantityMap }).nullish(),
  volumeMounts: z
    .array(z.looseObject({ name: z.string(), mountPath: z.string(), readOnly: optionalBoolean }))
    .nullish(),
  livenessProbe: handlerHost,
  readinessProbe: handlerHost,
  startupProbe: handlerHost,
  lifecycle: z.looseObject({ postStart: handlerHost, preStop: handlerHost }).nullish(),
  restartPolicy: optionalString,
});

const volumeSchema = z.looseObject({
  name: z.string().min(1),
  hostPath: z.looseObject({ path: z.string(), type: optionalString }).nullish(),
});

export const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema).min(1),
  initContainers: z.array(containerSchema).nullish(),
  ephemeralContainers: z.array(containerSchema).nullish(),
  volumes: z.array(volumeSchema).nullish(),
  securityContext: podSecurityContextSchema,
  hostNetwork: optionalBoolean,
  hostPID: optionalBoolean,
  hostIPC: optionalBoolean,
  hostUsers: optionalBoolean,
  serviceAccountName: optionalString,
  serviceAccount: optionalString,
  automountServiceAccountToken: optionalBoolean,
  os: z.looseObject({ name: optionalString }).nullish(),
});

const templateMetadataSchema = z.looseObject({
  name: optionalString,
  namespace: optionalString,
  labels: stringMap,
  annotations: stringMap,
});

export const objectMetadataSchema = templateMetadataSchema.extend({ name: z.string().min(1) });

export const podTemplateSchema = z.looseObject({
  metadata: templateMetadataSchema.nullish(),
  spec: podSpecSchema,
});

/** Builds `{ a: { b: leaf } }` for the segments `a.b`, every level passing unknown fields through. */
function nestAt(segments: readonly string[], leaf: z.ZodType): z.ZodType {
  const [head, ...rest] = segments;
  if (head === undefined) return leaf;
  return z.looseObject({ [head]: nestAt(rest, leaf) });
}

/** Schema of a whole workload object whose pod template sits at `templateSegments` (empty for a Pod). */
export function workloadObjectSchema(templateSegments: readonly string[]): z.ZodType {
  const base = z.looseObject({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: objectMetadataSchema,
  });
  if (templateSegments.length === 0) return base.extend({ spec: podSpecSchema });
  const [first, ...rest] = templateSegments;
  return base.extend({ [first as string]: nestAt(rest, podTemplateSchema) });
}

export const networkPolicySchema = z.looseObject({
  metadata: z.looseObject({ name: optionalString, namespace: optionalString, labels: stringMap }),
  spec: z.looseObject({
    podSelector: z
      .looseObject({
        matchLabels: stringMap,
        matchExpressions: z
          .array(z.looseObject({ key: z.string(), operator: z.string(), values: stringList }))
          .nullish(),
      })
      .nullish(),
    policyTypes: stringList,
    ingress: z.array(z.unknown()).nullish(),
    egress: z.array(z.unknown()).nullish(),
  }),
});

export const serviceAccountSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string().min(1), namespace: optionalString }),
  automountServiceAccountToken: optionalBoolean,
});
