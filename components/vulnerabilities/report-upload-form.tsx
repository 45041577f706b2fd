"use client";

import { useActionState, useRef, useState, useTransition, type DragEvent, type FormEvent } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export interface UploadOutcome {
  file: string;
  status: "ingested" | "duplicate" | "refused";
  detail: string;
}

export interface UploadState {
  error: string | null;
  outcomes: UploadOutcome[];
}

const TONE: Record<UploadOutcome["status"], Tone> = { ingested: "green", duplicate: "slate", refused: "red" };
const MAX_FILES = 20;

const sizeOf = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * A drop zone that is also the file picker. With JavaScript each file goes in its own request (`uploadOne`), so
 * each may be up to `maxBytes`, and a larger one is refused by name without being read or sent; without it the
 * form posts every file at once to `action`. Each file's outcome is listed by its name.
 */
export function ReportUploadForm(props: {
  action: (state: UploadState, data: FormData) => Promise<UploadState>;
  uploadOne: (data: FormData) => Promise<UploadOutcome>;
  maxBytes: number;
}) {
  const [posted, formAction] = useActionState(props.action, { error: null, outcomes: [] });
  const [chosen, setChosen] = useState<File[]>([]);
  const [outcomes, setOutcomes] = useState<UploadOutcome[] | null>(null);
  const [isDragging, setDragging] = useState(false);
  const [isPending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const limit = `${Math.floor(props.maxBytes / 1024)} KB`;
  const shown = outcomes ?? posted.outcomes;

  const choose = (files: FileList | null) => {
    setChosen([...(files ?? [])]);
    setOutcomes(null);
  };
  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setDragging(false);
    if (!input.current || event.dataTransfer.files.length === 0) return;
    input.current.files = event.dataTransfer.files;
    choose(event.dataTransfer.files);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const files = chosen.slice(0, MAX_FILES);
    if (files.length === 0) {
      setOutcomes([{ file: "–", status: "refused", detail: "Choose or drop one or more report files first." }]);
      return;
    }
    startTransition(async () => {
      const done: UploadOutcome[] = [];
      for (const file of files) {
        if (file.size > props.maxBytes) {
          done.push({ file: file.name, status: "refused", detail: `${file.name}: larger than ${limit}, not sent` });
        } else {
          const data = new FormData();
          data.set("report", file);
          done.push(await props.uploadOne(data).catch(() => failed(file.name)));
        }
        setOutcomes([...done]);
      }
    });
  };

  return (
    <form
      action={formAction}
      onSubmit={onSubmit}
      aria-label="Upload scanner reports"
      className="mb-4 space-y-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <label
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="report-drop-zone"
        className={`block cursor-pointer rounded-md border-2 border-dashed p-4 text-center text-sm focus-within:ring-2 focus-within:ring-sky-500 ${
          isDragging ? "border-sky-500 bg-sky-50" : "border-slate-300"
        }`}
      >
        <span className="block font-medium text-slate-800">Drop report files here, or choose them</span>
        <span className="mt-1 block text-xs text-slate-600">
          Trivy or Grype JSON, CycloneDX, trivy-operator or OpenVEX; up to {MAX_FILES} files of at most {limit} each.
          Larger reports go through <span className="font-mono">rampart ingest</span> or the API.
        </span>
        <input
          ref={input}
          type="file"
          name="reports"
          multiple
          accept=".json,.yaml,.yml,.cdx,application/json"
          aria-label="Report files"
          className="sr-only"
          onChange={(event) => choose(event.currentTarget.files)}
        />
      </label>
      {chosen.length > 0 ? (
        <ul aria-label="Chosen files" className="space-y-0.5 text-xs text-slate-700">
          {chosen.map((file, i) => (
            <li key={i} className="break-all">
              <span className="font-mono">{file.name}</span> ({sizeOf(file.size)})
              {file.size > props.maxBytes ? (
                <span className="text-red-700"> over {limit}: will not be sent</span>
              ) : null}
            </li>
          ))}
          {chosen.length > MAX_FILES ? <li>Only the first {MAX_FILES} are uploaded.</li> : null}
        </ul>
      ) : null}
      <Button type="submit" size="sm" disabled={isPending}>
        {isPending ? "Uploading…" : "Upload"}
      </Button>
      {posted.error ? (
        <p role="alert" className="text-sm text-red-700">
          {posted.error}
        </p>
      ) : null}
      {shown.length > 0 ? (
        <ul aria-label="Upload results" className="space-y-1 text-sm">
          {shown.map((outcome, i) => (
            <li key={i} className="flex flex-wrap items-baseline gap-2">
              <Badge tone={TONE[outcome.status]}>{outcome.status}</Badge>
              <span className="font-mono text-xs break-all">{outcome.file}</span>
              <span className="min-w-0 wrap-anywhere text-slate-600">{outcome.detail}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </form>
  );
}

/** A request that failed on its way (network, 413 from the proxy): named, without guessing at the cause. */
function failed(file: string): UploadOutcome {
  return { file, status: "refused", detail: `${file}: the upload failed; try again, or use rampart ingest` };
}
