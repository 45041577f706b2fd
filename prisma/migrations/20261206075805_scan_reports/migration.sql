-- Scanner reports (lib/reports): stored once per content hash; vulnerabilities normalised so that "which
-- workloads run CVE-X" is ReportVulnerability(vulnerabilityId) -> ReportDigest -> Container.digests (GIN).

ALTER TABLE "Container" ADD COLUMN "digests" TEXT[] DEFAULT ARRAY[]::TEXT[];
UPDATE "Container" SET "digests" = ARRAY["digest"] WHERE "digest" IS NOT NULL;
ALTER TABLE "Container" ALTER COLUMN "digests" SET NOT NULL;
CREATE INDEX "Container_digests_idx" ON "Container" USING GIN ("digests");

CREATE TABLE "ScanReport" (
    "id" UUID NOT NULL,
    "contentHash" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "scanner" TEXT NOT NULL,
    "scannerVersion" TEXT,
    "scannedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "via" TEXT NOT NULL,
    "artifact" TEXT NOT NULL DEFAULT '',
    "targetId" UUID,
    "subjectNamespace" TEXT,
    "subjectKind" TEXT,
    "subjectName" TEXT,
    "subjectContainer" TEXT,
    "scansVulnerabilities" BOOLEAN NOT NULL,
    "scansSecrets" BOOLEAN NOT NULL,
    "secrets" JSONB NOT NULL DEFAULT '[]',
    "supersededAt" TIMESTAMP(3),

    CONSTRAINT "ScanReport_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ScanReport_contentHash_key" ON "ScanReport"("contentHash");
CREATE INDEX "ScanReport_supersededAt_idx" ON "ScanReport"("supersededAt");
CREATE INDEX "ScanReport_subjectNamespace_subjectContainer_idx" ON "ScanReport"("subjectNamespace", "subjectContainer");

CREATE TABLE "ReportDigest" (
    "reportId" UUID NOT NULL,
    "digest" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "ReportDigest_pkey" PRIMARY KEY ("reportId", "digest")
);
CREATE INDEX "ReportDigest_digest_idx" ON "ReportDigest"("digest");
ALTER TABLE "ReportDigest" ADD CONSTRAINT "ReportDigest_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ScanReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "ReportVulnerability" (
    "reportId" UUID NOT NULL,
    "vulnerabilityId" TEXT NOT NULL,
    "package" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "packageType" TEXT NOT NULL,
    "packageClass" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "fixedVersion" TEXT,
    "fixable" BOOLEAN NOT NULL,
    "title" TEXT,
    "link" TEXT,
    "epss" DOUBLE PRECISION,
    "knownExploited" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "ReportVulnerability_pkey" PRIMARY KEY ("reportId", "vulnerabilityId", "package", "version")
);
CREATE INDEX "ReportVulnerability_vulnerabilityId_idx" ON "ReportVulnerability"("vulnerabilityId");
ALTER TABLE "ReportVulnerability" ADD CONSTRAINT "ReportVulnerability_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ScanReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "VexStatement" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "vulnerabilityId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "justification" TEXT,
    "products" TEXT[] NOT NULL,
    "packages" TEXT[] NOT NULL,

    CONSTRAINT "VexStatement_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "VexStatement_reportId_idx" ON "VexStatement"("reportId");
CREATE INDEX "VexStatement_vulnerabilityId_idx" ON "VexStatement"("vulnerabilityId");
CREATE INDEX "VexStatement_products_idx" ON "VexStatement" USING GIN ("products");
ALTER TABLE "VexStatement" ADD CONSTRAINT "VexStatement_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "ScanReport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "VulnerabilityException" (
    "id" UUID NOT NULL,
    "vulnerabilityId" TEXT NOT NULL,
    "image" TEXT,
    "namespace" TEXT,
    "workload" TEXT,
    "reason" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "VulnerabilityException_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "VulnerabilityException_vulnerabilityId_expiresAt_idx" ON "VulnerabilityException"("vulnerabilityId", "expiresAt");
