/** The placeholder a page streams while its table loads, shown only after the page checked the role. */
export function ListSkeleton({ label }: { label: string }) {
  return (
    <div aria-busy="true" aria-label={label} className="animate-pulse space-y-4">
      <div className="h-8 w-48 rounded bg-slate-200" />
      <div className="h-28 rounded-lg bg-slate-200" />
      {[0, 1, 2, 3, 4, 5, 6, 7].map((key) => (
        <div key={key} className="h-10 rounded bg-slate-200" />
      ))}
    </div>
  );
}

/** The placeholder of one streamed panel, the size of what it stands for so the page does not jump. */
export function PanelSkeleton({ label, className }: { label: string; className?: string }) {
  return (
    <div
      aria-busy="true"
      aria-label={label}
      className={`animate-pulse rounded-lg bg-slate-200 ${className ?? "h-40"}`}
    />
  );
}
