import type { Remediation } from "@/lib/domain/result";
import { CodeBlock } from "@/components/ui/code-block";
import { Tabs, type TabItem } from "@/components/ui/tabs";

/** The `docker run` change as one snippet: flags to drop as comments, flags to add one per line. */
export function dockerRunSnippet(add: string[], remove: string[]): string {
  const removed =
    remove.length > 0 ? ["# remove from the docker run command:", ...remove.map((flag) => `#   ${flag}`)] : [];
  const added = add.length > 0 ? ["docker run \\", ...add.map((flag) => `  ${flag} \\`), "  <image> [command]"] : [];
  return [...removed, ...added].join("\n");
}

function kubernetesTab(fix: Remediation, where: string): TabItem | null {
  if (!fix.kubernetesPatch && !fix.kubernetesManifest) return null;
  return {
    id: "kubernetes",
    label: "Kubernetes patch",
    content: (
      <div className="space-y-2">
        {fix.kubernetesPatch ? <CodeBlock code={fix.kubernetesPatch} label={`Kubernetes patch for ${where}`} /> : null}
        {fix.kubectl ? <CodeBlock code={fix.kubectl} label={`kubectl patch for ${where}`} /> : null}
        {fix.kubernetesManifest ? (
          <CodeBlock code={fix.kubernetesManifest} label={`Kubernetes manifest for ${where}`} />
        ) : null}
      </div>
    ),
  };
}

function dockerTab(fix: Remediation, where: string): TabItem | null {
  const run = fix.dockerRun;
  if (!run || (run.add.length === 0 && run.remove.length === 0)) return null;
  return {
    id: "docker-run",
    label: "docker run",
    content: <CodeBlock code={dockerRunSnippet(run.add, run.remove)} label={`docker run flags for ${where}`} />,
  };
}

/** The fix of one failing check, one tab per form it comes in; tabs without content are left out. */
export function RemediationTabs({ fix, where }: { fix: Remediation; where: string }) {
  const items = [
    kubernetesTab(fix, where),
    dockerTab(fix, where),
    fix.compose
      ? {
          id: "compose",
          label: "Compose",
          content: <CodeBlock code={fix.compose} label={`Compose keys for ${where}`} />,
        }
      : null,
    fix.dockerfile && fix.dockerfile.length > 0
      ? {
          id: "dockerfile",
          label: "Dockerfile",
          content: <CodeBlock code={fix.dockerfile.join("\n")} label={`Dockerfile lines for ${where}`} />,
        }
      : null,
  ].filter((item): item is TabItem => item !== null);
  return (
    <div className="mt-2 space-y-2">
      <p className="text-sm text-slate-700">{fix.summary}</p>
      {items.length > 0 ? <Tabs items={items} label={`Remediation for ${where}`} /> : null}
    </div>
  );
}
