import type { Metadata } from "next";
import { Suspense } from "react";
import { ExceptionForm } from "@/components/exceptions/exception-form";
import { ExceptionsTable } from "@/components/exceptions/exceptions-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ListSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { hasRole, requireRole } from "@/lib/auth/session";
import { CHECK_CATALOG } from "@/lib/checks/catalog";
import { listExceptions, listTargetChoices } from "@/lib/data/exceptions";
import type { Access } from "@/lib/scope/access-scope";
import { addException, extend, revoke } from "./actions";

export const metadata: Metadata = { title: "Exceptions" };

/** The role is checked before anything streams; the lists stream behind a skeleton. */
export default async function ExceptionsPage() {
  const user = await requireRole("viewer");
  return (
    <Suspense fallback={<ListSkeleton label="Loading exceptions" />}>
      <Exceptions canManage={hasRole(user.role, "security")} access={user.access} />
    </Suspense>
  );
}

async function Exceptions({ canManage, access }: { canManage: boolean; access: Access }) {
  const [lists, targets] = await Promise.all([listExceptions(access), listTargetChoices(access)]);
  return (
    <>
      <PageHeader
        title="Exceptions"
        description="Accepted risks: their findings are shown as excepted and left out of scores until the exception expires or is revoked."
      />
      {canManage ? (
        <section aria-labelledby="new-exception" className="mb-8">
          <h2 id="new-exception" className="mb-2 text-lg font-semibold text-slate-900">
            Accept a risk
          </h2>
          <ExceptionForm
            checks={CHECK_CATALOG.map((c) => ({ id: c.id, title: c.title }))}
            targets={targets}
            action={addException}
          />
        </section>
      ) : null}
      <section aria-labelledby="active-exceptions" className="mb-8">
        <h2 id="active-exceptions" className="mb-2 text-lg font-semibold text-slate-900">
          Active ({lists.active.length})
        </h2>
        {lists.active.length === 0 ? (
          <EmptyState title="No active exceptions">
            Every failing check counts in scores.{" "}
            {canManage
              ? "Accept a risk above, or select findings on the Violations page."
              : "A security reviewer can accept a risk."}
          </EmptyState>
        ) : (
          <ExceptionsTable
            rows={lists.active}
            caption="Active exceptions"
            actions={canManage ? { revoke, extend } : undefined}
          />
        )}
      </section>
      <section aria-labelledby="ended-exceptions">
        <h2 id="ended-exceptions" className="mb-2 text-lg font-semibold text-slate-900">
          Expired and revoked ({lists.ended.length})
        </h2>
        {lists.ended.length === 0 ? (
          <EmptyState title="None yet">Exceptions that expire or are revoked are listed here.</EmptyState>
        ) : (
          <ExceptionsTable rows={lists.ended} caption="Expired and revoked exceptions" />
        )}
      </section>
    </>
  );
}
