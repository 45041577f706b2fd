import type { Metadata } from "next";
import { connection } from "next/server";
import { PendingButton } from "@/components/overview/demo-button";
import { AddClusterTargetForm } from "@/components/targets/add-cluster-target-form";
import { AddDockerTargetForm } from "@/components/targets/add-docker-target-form";
import { TargetsTable } from "@/components/targets/targets-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { listTargets } from "@/lib/data/targets";
import {
  addClusterTarget,
  addDockerTarget,
  deleteTarget,
  loadDemoFleetAction,
  pollTarget,
  removeDemoDataAction,
  setTargetEnabled,
  setTargetIncludeStopped,
} from "./actions";
import { readRbacManifests } from "@/lib/collectors/kubernetes/rbac";

export const metadata: Metadata = { title: "Targets" };

export default async function TargetsPage() {
  const user = await requireRole("viewer");
  await connection();
  const canAdmin = hasRole(user.role, "admin");
  const [targets, rbac] = await Promise.all([listTargets({ access: user.access }), readRbacManifests()]);
  const hasDemo = targets.some((target) => target.isDemo);
  return (
    <>
      <PageHeader title="Targets" description="Docker hosts and Kubernetes clusters that Rampart polls.">
        {canAdmin && hasDemo ? (
          <form action={removeDemoDataAction}>
            <PendingButton variant="danger" pendingText="Removing…">
              Remove demo data
            </PendingButton>
          </form>
        ) : null}
        {canAdmin && !hasDemo ? (
          <form action={loadDemoFleetAction}>
            <PendingButton
              variant="secondary"
              pendingText="Loading demo fleet… (about a minute)"
              title="Simulated clusters and Docker hosts with 30 days of history, named demo-…; remove them here later"
            >
              Load demo fleet
            </PendingButton>
          </form>
        ) : null}
      </PageHeader>
      <div className="space-y-6">
        {targets.length === 0 ? (
          <EmptyState title="No targets yet">
            <p>
              Add a Docker host below: the local engine is{" "}
              <code className="font-mono">unix:///var/run/docker.sock</code>, a remote one{" "}
              <code className="font-mono">tcp://host:2376</code> with its TLS client certificates (uploaded as PEM). Or
              add a Kubernetes cluster with a kubeconfig or a read-only ServiceAccount token.
            </p>
            <p className="mt-2">
              <code className="font-mono">rampart serve</code> adds the local engine by itself on first start when it
              answers.
            </p>
          </EmptyState>
        ) : (
          <TargetsTable
            targets={targets}
            canAdmin={canAdmin}
            actions={{
              poll: pollTarget,
              setEnabled: setTargetEnabled,
              setIncludeStopped: setTargetIncludeStopped,
              remove: deleteTarget,
            }}
          />
        )}
        {canAdmin ? (
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
            <AddDockerTargetForm action={addDockerTarget} />
            <AddClusterTargetForm action={addClusterTarget} rbac={rbac} />
          </div>
        ) : (
          <p className="text-sm text-slate-500">Only an admin can add or change targets.</p>
        )}
      </div>
    </>
  );
}
