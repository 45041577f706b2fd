import type { ReactNode } from "react";
import { cn } from "./cn";

export type Tone = "red" | "orange" | "amber" | "sky" | "green" | "slate";

const TONE_STYLE: Record<Tone, string> = {
  red: "bg-red-100 text-red-800 ring-red-200",
  orange: "bg-orange-100 text-orange-800 ring-orange-200",
  amber: "bg-amber-100 text-amber-800 ring-amber-200",
  sky: "bg-sky-100 text-sky-800 ring-sky-200",
  green: "bg-emerald-100 text-emerald-800 ring-emerald-200",
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
};

export function Badge({ tone = "slate", children }: { tone?: Tone; children: ReactNode }) {
  return (
    <span
      className={cn(
        "inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
        TONE_STYLE[tone],
      )}
    >
      {children}
    </span>
  );
}
