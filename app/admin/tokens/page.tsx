import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Time } from "@/components/ui/time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { getDb } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { targetNames } from "@/lib/services/access/scope-input";
import { listApiTokens } from "@/lib/services/tokens";
import { addToken, revokeToken } from "./actions";
import { AddTokenForm } from "./add-token-form";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await requireRole("admin");
  const [tokens, names] = await Promise.all([listApiTokens(getDb()), targetNames(getDb())]);
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Send as the header Authorization: Bearer <token> to /api/v1 and /metrics. A token never has more than its owner's current role and scope."
      />
      <div className="space-y-6">
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet">
            Add one below for a script, CI job or Prometheus scrape; its value is shown once, when it is created.
          </EmptyState>
        ) : (
          <Table caption="API tokens">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Token</Th>
                <Th>Role</Th>
                <Th>Owner</Th>
                <Th>Sees</Th>
                <Th>State</Th>
                <Th>Expires</Th>
                <Th>Last used</Th>
                <Th>Actions</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((token) => (
                <tr key={token.id}>
                  <Td label="Name">{token.name}</Td>
                  <Td label="Token" className="font-mono">
                    {token.prefix}…
                  </Td>
                  <Td label="Role">{token.role}</Td>
                  <Td label="Owner">{token.owner}</Td>
                  <Td label="Sees">{token.scope}</Td>
                  <Td label="State">{token.state}</Td>
                  <Td label="Expires">
                    <Time value={token.expiresAt} />
                  </Td>
                  <Td label="Last used">
                    <Time value={token.lastUsedAt} />
                    {token.lastUsedAt && token.lastUsedIp ? ` from ${token.lastUsedIp}` : null}
                  </Td>
                  <Td>
                    {token.state === "active" ? (
                      <form action={revokeToken}>
                        <input type="hidden" name="tokenId" value={token.id} />
                        <Button size="sm" variant="danger" type="submit" aria-label={`Revoke ${token.name}`}>
                          Revoke
                        </Button>
                      </form>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <AddTokenForm action={addToken} targets={[...names.values()].sort((a, b) => a.localeCompare(b))} />
      </div>
    </>
  );
}
