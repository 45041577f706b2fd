"use client";

import { Button } from "@/components/ui/button";

/** Shows the digest only: the message and stack stay in the server log. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-white p-6">
      <h1 className="text-lg font-semibold text-red-800">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">
        This page could not be loaded. The server log has the details
        {error.digest ? (
          <>
            {" "}
            under reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
