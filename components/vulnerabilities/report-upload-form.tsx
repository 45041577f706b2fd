"use client";

import { useActionState, useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export interface UploadOutcome {
  file: string;
  status: "stored" | "already stored" | "refused";
  detail: string;
}

export interface UploadState {
  error: string | null;
  outcomes: UploadOutcome[];
}

const TONE: Record<UploadOutcome["status"], Tone> = { stored: "green", "already stored": "slate", refused: "red" };

/** Several report files in one server action; their sum must stay under the action body limit. */
export function ReportUploadForm(props: {
  action: (state: UploadState, data: FormData) => Promise<UploadState>;
  maxBytes: number;
}) {
  const [state, formAction, isPending] = useActionState(props.action, { error: null, outcomes: [] });
  const [tooLarge, setTooLarge] = useState(false);
  const limit = `${props.maxBytes / 1024 / 1024} MB`;
  return (
    <form
      action={formAction}
      aria-label="Upload scanner reports"
      className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <label className="block text-sm font-medium text-slate-800">
        Upload reports
        <span className="block text-xs font-normal text-slate-600">
          Trivy or Grype JSON, CycloneDX, trivy-operator or OpenVEX; several files, up to {limit} in all. Larger reports
          go through <span className="font-mono">rampart ingest</span> or the API.
        </span>
        <input
          type="file"
          name="reports"
          multiple
          required
          accept=".json,.yaml,.yml,.cdx,application/json"
          aria-label="Report files"
          className="mt-2 block w-full text-sm text-slate-800 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2.5 file:py-1 file:text-xs"
          onChange={(event) => {
            const files = [...(event.currentTarget.files ?? [])];
            setTooLarge(files.reduce((n, f) => n + f.size, 0) > props.maxBytes);
          }}
        />
      </label>
      {tooLarge ? (
        <p role="alert" className="text-sm text-red-700">
          These files come to more than {limit}: upload fewer at a time.
        </p>
      ) : null}
      <Button type="submit" size="sm" disabled={isPending || tooLarge}>
        {isPending ? "Uploading…" : "Upload"}
      </Button>
      {state.error ? (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      ) : null}
      {state.outcomes.length > 0 ? (
        <ul aria-label="Upload results" className="space-y-1 text-sm">
          {state.outcomes.map((outcome, i) => (
            <li key={i} className="flex flex-wrap items-baseline gap-2 break-all">
              <Badge tone={TONE[outcome.status]}>{outcome.status}</Badge>
              <span className="font-mono text-xs">{outcome.file}</span>
              <span className="text-slate-600">{outcome.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}
