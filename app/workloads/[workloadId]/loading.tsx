export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading workload" className="animate-pulse space-y-4">
      <div className="h-8 w-72 rounded bg-slate-200" />
      <div className="grid gap-4 md:grid-cols-4">
        {[0, 1, 2, 3].map((key) => (
          <div key={key} className="h-28 rounded-lg bg-slate-200" />
        ))}
      </div>
      <div className="h-40 rounded-lg bg-slate-200" />
      <div className="h-96 rounded-lg bg-slate-200" />
    </div>
  );
}
