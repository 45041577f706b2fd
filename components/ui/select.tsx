import type { SelectHTMLAttributes } from "react";
import { cn } from "./cn";

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "children"> {
  label: string;
  options: readonly SelectOption[];
  /** First option with an empty value, e.g. "All targets". */
  emptyLabel?: string;
}

/** A labelled native select: keyboard friendly and works in GET forms without JavaScript. */
export function Select({ label, options, emptyLabel, className, ...props }: SelectProps) {
  return (
    <label className={cn("block text-sm", className)}>
      <span className="font-medium text-slate-700">{label}</span>
      <select
        className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm focus:border-slate-500 focus:outline-none"
        {...props}
      >
        {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
