import type { Metadata } from "next";
import { connection } from "next/server";
import { requireRole } from "@/lib/auth/session";
import { AddDockerTargetForm } from "@/components/targets/add-docker-target-form";
import { TargetsTable } from "@/components/targets/targets-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { listTargets } from "@/lib/data/targets";
import { addDockerTarget, deleteTarget, pollTarget, setTargetEnabled, setTargetIncludeStopped } from "./actions";

export const metadata: Metadata = { title: "Targets" };

export default async function TargetsPage() {
  await requireRole("viewer");
  await connection();
  const targets = await listTargets();
  return (
    <>
      <PageHeader title="Targets" description="Docker hosts and Kubernetes clusters that Rampart polls." />
      <div className="space-y-6">
        {targets.length === 0 ? (
          <EmptyState title="No targets yet">
            <p>
              Add a Docker host below: the local engine is{" "}
              <code className="font-mono">unix:///var/run/docker.sock</code>, a remote one{" "}
              <code className="font-mono">tcp://host:2376</code> with its TLS client certificate files.
            </p>
            <p className="mt-2">
              <code className="font-mono">rampart serve</code> adds the local engine by itself on first start when it
              answers.
            </p>
          </EmptyState>
        ) : (
          <TargetsTable
            targets={targets}
            actions={{
              poll: pollTarget,
              setEnabled: setTargetEnabled,
              setIncludeStopped: setTargetIncludeStopped,
              remove: deleteTarget,
            }}
          />
        )}
        <AddDockerTargetForm action={addDockerTarget} />
      </div>
    </>
  );
}
