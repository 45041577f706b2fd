import type { ReactNode } from "react";

/** One headline number with its unit and a line saying what it is. */
export function Stat({
  label,
  value,
  unit,
  hint,
}: {
  label?: string;
  value: ReactNode;
  unit?: string;
  hint?: ReactNode;
}) {
  return (
    <div>
      {label ? <p className="text-xs text-slate-500">{label}</p> : null}
      <p className="text-3xl font-semibold whitespace-nowrap text-slate-900 tabular-nums">
        {value}
        {unit ? <span className="text-base font-normal text-slate-500"> {unit}</span> : null}
      </p>
      {hint ? <div className="mt-0.5 text-xs text-slate-500">{hint}</div> : null}
    </div>
  );
}
