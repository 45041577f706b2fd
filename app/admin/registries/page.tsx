import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { listRegistryCredentials, type RegistryCredentialSummary } from "@/lib/services/registry";
import { deleteRegistry, importConfig, saveRegistry, testRegistry } from "./actions";
import { ImportConfigForm, SaveRegistryForm, TestRegistryButton } from "./registry-forms";

export const metadata: Metadata = { title: "Registries" };

function loginText(registry: RegistryCredentialSummary): string {
  if (registry.login === "basic") return `Username and password (${registry.username})`;
  return registry.login === "token" ? "Access token" : "Anonymous";
}

export default async function RegistriesPage() {
  await requireRole("admin");
  const registries = await listRegistryCredentials(getDb());
  return (
    <>
      <PageHeader
        title="Registries"
        description="Rampart reads image configs (user, environment, history, digests) for Kubernetes workloads only from the registries listed here, read-only; it never reads cluster Secrets, so imagePullSecrets stay in the cluster."
      />
      <div className="space-y-6">
        {registries.length === 0 ? (
          <EmptyState title="No registries">
            Until a registry is listed, image configs of Kubernetes workloads are not read and their checks say so.
          </EmptyState>
        ) : (
          <Table caption="Registries">
            <thead>
              <tr>
                <Th>Host</Th>
                <Th>Login</Th>
                <Th>Connection</Th>
                <Th>CA</Th>
                <Th>Updated</Th>
                <Th>Actions</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {registries.map((registry) => (
                <tr key={registry.id}>
                  <Td className="font-mono break-all">{registry.host}</Td>
                  <Td label="Login">{loginText(registry)}</Td>
                  <Td label="Connection">{registry.insecure ? "Plain HTTP (insecure)" : "HTTPS"}</Td>
                  <Td label="CA">{registry.hasCa ? "Own CA" : "System CAs"}</Td>
                  <Td label="Updated">
                    <Time value={registry.updatedAt.toISOString()} />
                  </Td>
                  <Td>
                    <div className="flex flex-wrap items-start gap-2">
                      <TestRegistryButton id={registry.id} host={registry.host} action={testRegistry} />
                      <details className="relative">
                        <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-200 bg-white px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50">
                          Delete…
                        </summary>
                        <form
                          action={deleteRegistry}
                          className="absolute right-0 z-10 mt-1 w-64 space-y-2 rounded-md border border-red-200 bg-white p-3 text-xs shadow-lg"
                        >
                          <input type="hidden" name="id" value={registry.id} />
                          <p>
                            Delete the settings for <strong>{registry.host}</strong>? Its images are no longer read.
                          </p>
                          <Button size="sm" variant="danger" aria-label={`Confirm deleting ${registry.host}`}>
                            Delete {registry.host}
                          </Button>
                        </form>
                      </details>
                    </div>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <SaveRegistryForm action={saveRegistry} />
        <ImportConfigForm action={importConfig} />
      </div>
    </>
  );
}
