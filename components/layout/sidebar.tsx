import type { SessionUser } from "@/lib/auth/session-store";
import { hasRole } from "@/lib/auth/roles";
import { NavLink } from "./nav-link";
import { NavToggle } from "./nav-toggle";
import { UserMenu } from "./user-menu";

const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/violations", label: "Violations" },
  { href: "/vulnerabilities", label: "Vulnerabilities" },
  { href: "/trends", label: "Trends" },
  { href: "/compliance", label: "Compliance" },
  { href: "/checks", label: "Checks" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/targets", label: "Targets" },
] as const;

const ADMIN_ITEMS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "API tokens" },
  { href: "/admin/registries", label: "Registries" },
  { href: "/admin/notifications", label: "Notifications" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

/** The shell's navigation: the pages, an Admin section for admins, and the signed-in user's menu. */
export function Sidebar({
  user,
  signOut,
  signOutEverywhere,
}: {
  user: SessionUser | null;
  signOut: () => Promise<void>;
  signOutEverywhere: () => Promise<void>;
}) {
  return (
    <aside className="bg-shell relative w-full shrink-0 sm:sticky sm:top-0 sm:flex sm:h-screen sm:w-52 sm:flex-col print:hidden">
      <div className="text-shell-ink px-5 py-4 text-lg font-semibold tracking-tight">Rampart</div>
      {user ? (
        <NavToggle>
          <nav aria-label="Main" className="space-y-1 px-3 pb-3 sm:flex-1 sm:overflow-y-auto">
            {NAV_ITEMS.map((item) => (
              <NavLink key={item.href} href={item.href}>
                {item.label}
              </NavLink>
            ))}
            {hasRole(user.role, "admin") ? (
              <div role="group" aria-labelledby="admin-navigation" className="pt-4">
                <p
                  id="admin-navigation"
                  className="text-shell-muted px-3 pb-1 text-xs font-semibold tracking-wide uppercase"
                >
                  Admin
                </p>
                {ADMIN_ITEMS.map((item) => (
                  <NavLink key={item.href} href={item.href}>
                    {item.label}
                  </NavLink>
                ))}
              </div>
            ) : null}
          </nav>
          <UserMenu user={user} signOut={signOut} signOutEverywhere={signOutEverywhere} />
        </NavToggle>
      ) : null}
    </aside>
  );
}
