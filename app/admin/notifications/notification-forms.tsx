"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ChannelFormState, RuleFormState } from "./actions";

const INPUT =
  "mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none";
const FORM = "space-y-3 rounded-lg border border-slate-200 bg-white p-4";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <label className="block text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      {children}
    </label>
  );
}

function Alert({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" className="text-sm break-words text-red-700">
      {error}
    </p>
  ) : null;
}

export function AddChannelForm({
  action,
}: {
  action: (state: ChannelFormState, formData: FormData) => Promise<ChannelFormState>;
}) {
  const [state, formAction, isPending] = useActionState(action, { error: null, secret: null });
  const [kind, setKind] = useState("webhook");
  return (
    <form action={formAction} aria-label="Add a channel" className={FORM}>
      <h3 className="text-base font-semibold">Add a channel</h3>
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Name">
          <input name="name" required maxLength={80} className={INPUT} />
        </Field>
        <Field label="Kind">
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)} className={INPUT}>
            <option value="webhook">Webhook (signed)</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </Field>
        <Field label="URL (http or https)">
          <input name="url" type="url" required maxLength={2000} className={INPUT} autoComplete="off" />
        </Field>
      </div>
      {kind === "webhook" ? (
        <Field label="Signing secret (whsec_…; empty to generate one)">
          <input name="secret" type="password" maxLength={200} className={INPUT} autoComplete="off" />
        </Field>
      ) : null}
      <Alert error={state.error} />
      {state.secret ? (
        <div role="status" className="rounded-md bg-amber-50 p-3 text-sm">
          <p className="font-medium">Give this secret to the receiver now: it is not shown again.</p>
          <code aria-label="New signing secret" className="mt-1 block font-mono break-all">
            {state.secret}
          </code>
        </div>
      ) : null}
      <Button type="submit" disabled={isPending}>
        Add channel
      </Button>
    </form>
  );
}

export function AddRuleForm({
  action,
  channels,
  targets,
}: {
  action: (state: RuleFormState, formData: FormData) => Promise<RuleFormState>;
  channels: { id: string; name: string }[];
  targets: { id: string; name: string }[];
}) {
  const [state, formAction, isPending] = useActionState(action, { error: null });
  const [event, setEvent] = useState("new-findings");
  return (
    <form action={formAction} aria-label="Add a rule" className={FORM}>
      <h3 className="text-base font-semibold">Add a rule</h3>
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Channel">
          <select name="channelId" required className={INPUT}>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="When">
          <select name="event" value={event} onChange={(e) => setEvent(e.target.value)} className={INPUT}>
            <option value="new-findings">New findings</option>
            <option value="target-failing">A target starts failing</option>
            <option value="exception-expiring">Exceptions about to expire</option>
          </select>
        </Field>
        {event === "new-findings" ? (
          <Field label="At or above">
            <select name="minSeverity" defaultValue="high" className={INPUT}>
              {["critical", "high", "medium", "low"].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </Field>
        ) : event === "exception-expiring" ? (
          <Field label="Days ahead">
            <input name="withinDays" type="number" min={1} max={90} defaultValue={7} className={INPUT} />
          </Field>
        ) : (
          <div />
        )}
        <Field label="Target">
          <select name="targetId" defaultValue="" className={INPUT}>
            <option value="">Any target</option>
            {targets.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        {event !== "target-failing" ? (
          <>
            <Field label="Namespace (optional)">
              <input name="namespace" maxLength={200} className={INPUT} />
            </Field>
            <Field label="Check id (optional)">
              <input name="checkId" maxLength={200} className={INPUT} />
            </Field>
          </>
        ) : null}
        {event === "new-findings" ? (
          <Field label="Team label (optional)">
            <input name="team" maxLength={200} className={INPUT} />
          </Field>
        ) : null}
      </div>
      <Alert error={state.error} />
      <Button type="submit" disabled={isPending || channels.length === 0}>
        Add rule
      </Button>
    </form>
  );
}
