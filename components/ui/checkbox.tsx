import type { InputHTMLAttributes } from "react";
import { cn } from "./cn";

/** A checkbox that always has an accessible name. */
export function Checkbox({ label, className, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string }) {
  return (
    <input
      type="checkbox"
      aria-label={label}
      className={cn(
        "h-4 w-4 rounded border-slate-400 accent-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600",
        className,
      )}
      {...props}
    />
  );
}
