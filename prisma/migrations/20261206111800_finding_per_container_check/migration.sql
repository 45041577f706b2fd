-- A finding is keyed by its container and check instead of a 64-character fingerprint of target, workload, container
-- and check (about 100 bytes per finding less, index included). The same key: a container row is unique per workload
-- and name, a workload per target, namespace, kind and name.

-- Recorded runs never hold two findings of one container and check; should a database hold them anyway, the most
-- recently seen one is kept.
DELETE FROM "Finding" f USING "Finding" g
WHERE f."containerId" = g."containerId" AND f."checkId" = g."checkId"
  AND (f."lastSeenAt", f."id") < (g."lastSeenAt", g."id");

ALTER TABLE "Finding" DROP COLUMN "fingerprint";

CREATE UNIQUE INDEX "Finding_containerId_checkId_key" ON "Finding"("containerId", "checkId");
