-- /metrics: a per-target failure counter that survives run pruning, and collector histograms every worker adds to.
ALTER TABLE "Target" ADD COLUMN "runFailures" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "CollectorHistogram" (
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "buckets" JSONB NOT NULL DEFAULT '{}',
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "count" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "CollectorHistogram_pkey" PRIMARY KEY ("name","label")
);
