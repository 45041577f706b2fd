import type { WorkloadFix } from "@/lib/domain/result";
import { CodeBlock } from "@/components/ui/code-block";
import { visibleText } from "@/lib/format/visible-text";

/** Every open finding's fix in one step, shown above the fixes per check. */
export function CombinedFix({ fix, workload }: { fix: WorkloadFix; workload: string }) {
  const where = visibleText(workload);
  return (
    <section aria-labelledby="combined-fix" className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="combined-fix" className="text-base font-semibold text-slate-900">
        Fix everything at once
      </h2>
      <p className="mt-1 text-sm text-slate-700">{fix.summary}</p>
      <div className="mt-3 space-y-2">
        {fix.kubectl ? <CodeBlock code={fix.kubectl} label={`Combined kubectl patch for ${where}`} /> : null}
        {fix.kubernetesPatch && !fix.kubectl ? (
          <CodeBlock code={fix.kubernetesPatch} label={`Combined patch for the manifest of ${where}`} />
        ) : null}
        {fix.podManifest ? <CodeBlock code={fix.podManifest} label={`Edited Pod manifest for ${where}`} /> : null}
        {fix.dockerRunCommand ? (
          <CodeBlock code={fix.dockerRunCommand} label={`Hardened docker run command for ${where}`} />
        ) : null}
        {fix.compose ? <CodeBlock code={fix.compose} label={`Hardened Compose service for ${where}`} /> : null}
        {fix.kubernetesManifest ? (
          <>
            <p className="text-sm text-slate-700">And create this NetworkPolicy, a separate object:</p>
            <CodeBlock code={fix.kubernetesManifest} label={`NetworkPolicy for ${where}`} />
          </>
        ) : null}
      </div>
      <details className="mt-2 text-sm text-slate-700">
        <summary className="cursor-pointer">Closes {fix.closes.length} failing checks</summary>
        <ul className="mt-1 font-mono text-xs">
          {fix.closes.map((item) => (
            <li key={item}>{visibleText(item)}</li>
          ))}
        </ul>
      </details>
    </section>
  );
}
