import type { SessionUser } from "@/lib/auth/session-store";

/** Who is signed in, with which role, and the two ways out; plain forms, so they work without JavaScript. */
export function UserMenu({
  user,
  signOut,
  signOutEverywhere,
}: {
  user: Pick<SessionUser, "name" | "email" | "role">;
  signOut: () => Promise<void>;
  signOutEverywhere: () => Promise<void>;
}) {
  return (
    <details className="group border-shell-line border-t px-3 py-3">
      <summary
        className="text-shell-ink hover:bg-shell-hover flex cursor-pointer list-none items-center justify-between gap-2 rounded-md px-2 py-1.5 text-sm"
        aria-label={`Signed in as ${user.name || user.email}, ${user.role}: account menu`}
      >
        <span className="min-w-0">
          <span className="block truncate font-medium">{user.name || user.email}</span>
          <span className="text-shell-muted block text-xs">{user.role}</span>
        </span>
        <span aria-hidden="true" className="text-shell-muted group-open:rotate-180">
          ▾
        </span>
      </summary>
      <div className="mt-2 space-y-1 px-2 text-sm">
        <p className="text-shell-muted truncate text-xs" title={user.email}>
          {user.email}
        </p>
        <form action={signOut}>
          <button type="submit" className="text-shell-ink hover:bg-shell-hover w-full rounded-md px-2 py-1.5 text-left">
            Sign out
          </button>
        </form>
        <form action={signOutEverywhere}>
          <button type="submit" className="text-shell-ink hover:bg-shell-hover w-full rounded-md px-2 py-1.5 text-left">
            Sign out everywhere
          </button>
        </form>
      </div>
    </details>
  );
}
