const UNITS: [limit: number, seconds: number, unit: string][] = [
  [90, 1, "s"],
  [90 * 60, 60, "min"],
  [36 * 3600, 3600, "h"],
  [60 * 86_400, 86_400, "d"],
  [Infinity, 30 * 86_400, "mo"],
];

/** "4 min ago", "in 3 d", "just now": how far `value` is from `now` (both ISO). */
export function relativeTime(value: string, now: string): string {
  const seconds = (Date.parse(now) - Date.parse(value)) / 1000;
  const size = Math.abs(seconds);
  if (size < 10) return "just now";
  const [, per, unit] = UNITS.find(([limit]) => size < limit) ?? UNITS[UNITS.length - 1]!;
  const amount = `${Math.round(size / per)} ${unit}`;
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** `2026-12-06 07:35 UTC`: what a hover shows, and what a printed page keeps. */
export function exactTime(value: string): string {
  return `${value.replace("T", " ").slice(0, 16)} UTC`;
}

function currentTime(): string {
  return new Date().toISOString();
}

/**
 * A time as people read it: relative ("3 h ago", "in 5 d"), with the exact UTC time on hover and in `dateTime`.
 * Rendered on the server as of the request (`now` to fix it, e.g. in tests).
 */
export function Time({ value, now, empty = "never" }: { value: string | null; now?: string; empty?: string }) {
  if (value === null) return <span className="text-slate-500">{empty}</span>;
  return (
    <time dateTime={value} title={exactTime(value)} className="whitespace-nowrap tabular-nums">
      {relativeTime(value, now ?? currentTime())}
    </time>
  );
}
