/** One hue, four lightness steps (darker = more compliant); the number is always printed, so colour only repeats it. */
export const SCALE = [
  { min: 95, className: "bg-emerald-700 text-white", label: "95–100%" },
  { min: 80, className: "bg-emerald-300 text-emerald-950", label: "80–94%" },
  { min: 50, className: "bg-emerald-100 text-emerald-950", label: "50–79%" },
  { min: 0, className: "bg-white text-slate-900", label: "under 50%" },
] as const;
