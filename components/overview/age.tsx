/** "4 min", "3 h", "2 d": how long ago `value` was, as of `now` (both ISO). */
export function formatAge(value: string, now: string): string {
  const seconds = Math.max(0, (Date.parse(now) - Date.parse(value)) / 1000);
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

export function Age({ value, now }: { value: string | null; now: string }) {
  if (value === null) return <span className="text-slate-400">never</span>;
  return (
    <time dateTime={value} title={value} className="whitespace-nowrap tabular-nums">
      {formatAge(value, now)} ago
    </time>
  );
}
