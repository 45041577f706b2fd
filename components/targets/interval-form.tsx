import { Button } from "@/components/ui/button";

const CHOICES = [60, 300, 900, 3600, 21_600, 86_400];

/** "every 5 min", "every 6 h", "daily". */
export function intervalLabel(seconds: number): string {
  if (seconds < 60 || (seconds < 3600 && seconds % 60 !== 0)) return `every ${seconds} s`;
  if (seconds < 3600) return `every ${seconds / 60} min`;
  if (seconds < 86_400) return `every ${seconds / 3600} h`;
  return "daily";
}

export function IntervalForm({
  targetId,
  name,
  intervalSeconds,
  action,
}: {
  targetId: string;
  name: string;
  intervalSeconds: number;
  action: (formData: FormData) => Promise<void>;
}) {
  const choices = CHOICES.includes(intervalSeconds) ? CHOICES : [...CHOICES, intervalSeconds].sort((a, b) => a - b);
  return (
    <form action={action} className="flex items-center gap-1.5">
      <input type="hidden" name="targetId" value={targetId} />
      <label className="sr-only" htmlFor={`interval-${targetId}`}>
        Poll interval of {name}
      </label>
      <select
        id={`interval-${targetId}`}
        name="intervalSeconds"
        defaultValue={String(intervalSeconds)}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-xs"
      >
        {choices.map((seconds) => (
          <option key={seconds} value={seconds}>
            {intervalLabel(seconds)}
          </option>
        ))}
      </select>
      <Button size="sm" variant="secondary" aria-label={`Save poll interval of ${name}`}>
        Save
      </Button>
    </form>
  );
}
