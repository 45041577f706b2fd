import type { PodSecurityResult } from "@/lib/domain/result";
import { Badge } from "@/components/ui/badge";
import { visibleText } from "@/lib/format/visible-text";
import { podSecurityControlTitle } from "@/lib/pss/titles";

export function PodSecurityVerdicts({ verdicts }: { verdicts: PodSecurityResult | null }) {
  if (!verdicts)
    return <p className="text-sm text-slate-600">Not applicable: Pod Security Standards judge Kubernetes pods.</p>;
  const levels = [
    ["baseline", verdicts.baseline],
    ["restricted", verdicts.restricted],
  ] as const;
  return (
    <dl className="space-y-2">
      {levels.map(([level, verdict]) => (
        <div key={level}>
          <dt className="flex items-center gap-2 text-sm font-medium text-slate-800">
            {level}
            <Badge tone={verdict.allowed ? "green" : "red"}>{verdict.allowed ? "allowed" : "violated"}</Badge>
          </dt>
          {verdict.violations.length > 0 ? (
            <dd className="mt-1 flex flex-wrap gap-1">
              {verdict.violations.map((control) => (
                <span key={control} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">
                  {podSecurityControlTitle(control)} <span className="font-mono text-slate-600">{control}</span>
                </span>
              ))}
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

export function LabelList({ labels, empty }: { labels: Record<string, string>; empty: string }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="flex flex-wrap gap-1">
      {entries.map(([key, value]) => (
        <li key={key} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs break-all text-slate-800">
          {visibleText(key)}={visibleText(value)}
        </li>
      ))}
    </ul>
  );
}
