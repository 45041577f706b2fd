/** Server-rendered absolute UTC time; the title keeps the ISO value for copying. */
export function Time({ value }: { value: string | null }) {
  if (value === null) return <span className="text-slate-400">never</span>;
  const shown = value.replace("T", " ").slice(0, 16) + " UTC";
  return (
    <time dateTime={value} title={value} className="whitespace-nowrap">
      {shown}
    </time>
  );
}
