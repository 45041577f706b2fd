-- Whether a worker follows the target's events between polls (Docker /events, Kubernetes watches), shown on the
-- Targets page: { "state": "live" | "polling", "since": ISO time, "reason"?: text }.
ALTER TABLE "Target" ADD COLUMN "eventStream" JSONB;
