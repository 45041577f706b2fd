import type { Metadata } from "next";
import { oidcConfigFromEnv } from "@/lib/auth/oidc-config";
import { safeNextPath } from "@/lib/auth/safe-next";
import { currentUser } from "@/lib/auth/session";
import { Button } from "@/components/ui/button";
import { signIn, signOut, signOutEverywhere } from "./actions";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const SSO_ERRORS: Record<string, string> = {
  sso: "Single sign-on failed. Ask your administrator if this keeps happening.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  const user = await currentUser();
  const oidc = oidcConfigFromEnv();
  const ssoError = typeof params.error === "string" ? SSO_ERRORS[params.error] : undefined;
  return (
    <div className="mx-auto mt-10 max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold text-slate-900">{user ? "Signed in" : "Sign in to Rampart"}</h1>
      {user ? (
        <div className="space-y-3 text-sm">
          <p>
            Signed in as <strong>{user.email}</strong> ({user.role}).
          </p>
          <div className="flex gap-2">
            <form action={signOut}>
              <Button type="submit">Sign out</Button>
            </form>
            <form action={signOutEverywhere}>
              <Button type="submit" variant="secondary">
                Sign out everywhere
              </Button>
            </form>
          </div>
        </div>
      ) : (
        <>
          {ssoError ? (
            <p role="alert" className="text-sm text-red-700">
              {ssoError}
            </p>
          ) : null}
          <SignInForm action={signIn} next={next} />
          {oidc ? (
            <a
              href={`/api/auth/oidc/start?next=${encodeURIComponent(next)}`}
              className="block rounded-md border border-slate-300 px-3.5 py-2 text-center text-sm font-medium hover:bg-slate-100"
            >
              Sign in with single sign-on
            </a>
          ) : null}
        </>
      )}
    </div>
  );
}
