import { cn } from "./cn";

/** Color bands for a 0..100 value, so a bar reads at a glance without a legend. */
export function toneOfPercent(value: number): string {
  if (value >= 90) return "bg-emerald-600";
  if (value >= 70) return "bg-amber-500";
  return "bg-red-600";
}

/** A horizontal bar for a percentage; null draws an empty track. */
export function ProgressBar({ value, label, className }: { value: number | null; label: string; className?: string }) {
  const width = value === null ? 0 : Math.max(0, Math.min(100, value));
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.round(width)}
      className={cn("h-2.5 w-full overflow-hidden rounded-full bg-slate-200", className)}
    >
      {value === null ? null : (
        <div className={cn("h-full rounded-full", toneOfPercent(width))} style={{ width: `${width}%` }} />
      )}
    </div>
  );
}
