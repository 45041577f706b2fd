import { Button } from "@/components/ui/button";

/** Deleting takes two steps: open the disclosure, then confirm; works without JavaScript and by keyboard. */
export function DeleteTargetForm({
  targetId,
  name,
  action,
  redirectToList = false,
}: {
  targetId: string;
  name: string;
  action: (formData: FormData) => Promise<void>;
  redirectToList?: boolean;
}) {
  return (
    <details className="relative">
      <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-red-200 bg-white px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50">
        Delete…
      </summary>
      <form
        action={action}
        className="absolute right-0 z-10 mt-1 w-64 space-y-2 rounded-md border border-red-200 bg-white p-3 text-xs shadow-lg"
      >
        <input type="hidden" name="targetId" value={targetId} />
        {redirectToList ? <input type="hidden" name="redirect" value="list" /> : null}
        <p>
          Delete <strong>{name}</strong> with its run history, containers and findings? This cannot be undone.
        </p>
        <Button size="sm" variant="danger" aria-label={`Confirm deleting ${name}`}>
          Delete {name}
        </Button>
      </form>
    </details>
  );
}
