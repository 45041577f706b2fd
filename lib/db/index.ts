export { createDb, getDb, isEmbeddedUrl, poolOf, setProcessDb, type Db } from "./client";
export { Prisma } from "./generated/client";
export type {
  AuditLog,
  CollectionRun,
  Container,
  Exception,
  Finding,
  FindingEvent,
  RunRollup,
  Target,
  Workload,
} from "./generated/client";
