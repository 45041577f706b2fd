import type { Metadata } from "next";
import { connection } from "next/server";
import { getDb } from "@/lib/db";
import { isSetupTokenValid } from "@/lib/services/setup";
import { createFirstAdmin } from "./actions";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };

/** Public on purpose: the one-time token printed by `rampart serve` is the credential. */
export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const token = (await searchParams).token;
  const valid = typeof token === "string" && (await isSetupTokenValid(getDb(), token));
  return (
    <div className="mx-auto mt-10 max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-2xl font-semibold text-slate-900">Set up Rampart</h1>
      {valid ? (
        <>
          <p className="text-sm text-slate-600">Create the first administrator. This link works once.</p>
          <SetupForm action={createFirstAdmin} token={token} />
        </>
      ) : (
        <p role="alert" className="text-sm text-slate-700">
          This setup link has expired or was already used. Restart <code className="font-mono">rampart serve</code> on a
          database without users for a new one, or{" "}
          <a className="underline" href="/sign-in">
            sign in
          </a>
          .
        </p>
      )}
    </div>
  );
}
