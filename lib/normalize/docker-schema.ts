import { z } from "zod";

// The `docker inspect` fields that checks read. Docker returns null for unset lists, so every
// list is nullish; unknown fields pass through untouched.

const optionalString = z.string().nullish();
const optionalBoolean = z.boolean().nullish();
const optionalNumber = z.number().nullish();
const stringList = z.array(z.string()).nullish();
const portBindings = z
  .record(z.string(), z.array(z.looseObject({ HostIp: optionalString, HostPort: optionalString })).nullish())
  .nullish();

export const dockerContainerSchema = z.looseObject({
  Id: z.string().min(1),
  Name: z.string(),
  Image: z.string(),
  Config: z.looseObject({
    User: optionalString,
    Image: optionalString,
    Env: stringList,
    Labels: z.record(z.string(), z.string()).nullish(),
  }),
  HostConfig: z.looseObject({
    Privileged: optionalBoolean,
    ReadonlyRootfs: optionalBoolean,
    CapAdd: stringList,
    CapDrop: stringList,
    SecurityOpt: stringList,
    NetworkMode: optionalString,
    PidMode: optionalString,
    IpcMode: optionalString,
    UTSMode: optionalString,
    UsernsMode: optionalString,
    Memory: optionalNumber,
    NanoCpus: optionalNumber,
    CpuQuota: optionalNumber,
    PidsLimit: optionalNumber,
    PortBindings: portBindings,
    Binds: stringList,
  }),
  Mounts: z
    .array(
      z.looseObject({ Type: optionalString, Source: optionalString, Destination: optionalString, RW: optionalBoolean }),
    )
    .nullish(),
  AppArmorProfile: optionalString,
  NetworkSettings: z
    .looseObject({
      Networks: z.record(z.string(), z.looseObject({ NetworkID: optionalString }).nullish()).nullish(),
      Ports: portBindings,
    })
    .nullish(),
  State: z.looseObject({ Status: optionalString, Running: optionalBoolean }).nullish(),
});

export const dockerImageSchema = z.looseObject({
  Id: z.string().min(1),
  RepoDigests: stringList,
  Config: z.looseObject({ Env: stringList, User: optionalString }).nullish(),
});

export const dockerHistorySchema = z.array(z.looseObject({ Id: optionalString, CreatedBy: optionalString }));

export const dockerInfoSchema = z.looseObject({
  SecurityOptions: stringList,
  Name: optionalString,
  ServerVersion: optionalString,
});

export const dockerNetworksSchema = z.array(
  z.looseObject({
    Name: z.string(),
    Id: z.string(),
    Driver: optionalString,
    Options: z.record(z.string(), z.string()).nullish(),
  }),
);
