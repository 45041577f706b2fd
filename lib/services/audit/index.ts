export { AUDIT_ACTIONS, recordAudit, type AuditAction, type AuditEntry } from "./record-audit";
export { AUDIT_PAGE_SIZE, auditFilterSchema, listAuditEntries, type AuditFilter, type AuditRow } from "./list-audit";
