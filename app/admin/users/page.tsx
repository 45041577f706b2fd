import type { Metadata } from "next";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/ui/time";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { getDb } from "@/lib/db";
import { ROLES } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { listUsers } from "@/lib/services/users";
import { targetNames } from "@/lib/services/access/scope-input";
import { addUser, changeRole, changeScope, endUserSessions, removeUser, setDisabled } from "./actions";
import { ScopeForm } from "./scope-form";
import { AddUserForm } from "./add-user-form";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireRole("admin");
  const [users, names] = await Promise.all([listUsers(getDb()), targetNames(getDb())]);
  const targets = [...names.values()].sort((a, b) => a.localeCompare(b));
  return (
    <>
      <PageHeader
        title="Users"
        description="Roles: viewer reads, engineer exports and remediates, security accepts risk, admin manages."
      />
      <div className="space-y-6">
        <Table caption="Users">
          <thead>
            <tr>
              <Th>Email</Th>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Sees</Th>
              <Th>State</Th>
              <Th>Last sign-in</Th>
              <Th>Actions</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <Td>
                  {user.email}
                  {user.id === me.id ? " (you)" : ""}
                </Td>
                <Td>{user.name}</Td>
                <Td>
                  <form action={changeRole} className="flex gap-1">
                    <input type="hidden" name="userId" value={user.id} />
                    <select
                      key={user.role}
                      name="role"
                      defaultValue={user.role}
                      aria-label={`Role of ${user.email}`}
                      className="rounded border border-slate-300 text-sm"
                    >
                      {ROLES.map((role) => (
                        <option key={role}>{role}</option>
                      ))}
                    </select>
                    <Button size="sm" variant="secondary" type="submit">
                      Save
                    </Button>
                  </form>
                </Td>
                <Td label="Sees" className="max-w-xs">
                  <details>
                    <summary className="cursor-pointer">{user.scope}</summary>
                    <ScopeForm
                      action={changeScope}
                      userId={user.id}
                      email={user.email}
                      targets={targets}
                      values={user.scopeInput}
                    />
                  </details>
                </Td>
                <Td>
                  {user.disabled ? "disabled" : "active"}
                  {user.sso ? " · SSO" : ""}
                </Td>
                <Td label="Last sign-in">
                  <Time value={user.lastSignInAt} />
                </Td>
                <Td className="flex flex-wrap gap-1">
                  <form action={setDisabled}>
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="disabled" value={user.disabled ? "false" : "true"} />
                    <Button size="sm" variant="secondary" type="submit">
                      {user.disabled ? "Enable" : "Disable"}
                    </Button>
                  </form>
                  <form action={endUserSessions}>
                    <input type="hidden" name="userId" value={user.id} />
                    <Button size="sm" variant="secondary" type="submit">
                      Sign out everywhere
                    </Button>
                  </form>
                  <form action={removeUser}>
                    <input type="hidden" name="userId" value={user.id} />
                    <Button size="sm" variant="danger" type="submit" aria-label={`Delete ${user.email}`}>
                      Delete
                    </Button>
                  </form>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <AddUserForm action={addUser} />
      </div>
    </>
  );
}
