import type { RemediationExample as RemediationExampleData } from "@/lib/data/checks";
import { PLATFORM_LABEL } from "@/lib/domain/facts";

export function Snippet({ title, text }: { title: string; text: string }) {
  return (
    <div>
      <h4 className="text-xs font-semibold text-slate-600">{title}</h4>
      <pre className="mt-1 overflow-x-auto rounded bg-slate-900 p-2 font-mono text-xs text-slate-100">{text}</pre>
    </div>
  );
}

function dockerFlags(run: { add: string[]; remove: string[] }): string {
  const lines = [...run.add.map((flag) => `add:    ${flag}`), ...run.remove.map((flag) => `remove: ${flag}`)];
  return lines.join("\n");
}

export function RemediationExample({ example }: { example: RemediationExampleData }) {
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <span className="font-medium">{PLATFORM_LABEL[example.platform]}</span> example failing with:{" "}
        <span className="font-mono text-xs">{example.message}</span>
      </p>
      <p className="text-sm text-slate-700">{example.summary}</p>
      {example.kubernetesPatch ? <Snippet title="Strategic-merge patch" text={example.kubernetesPatch} /> : null}
      {example.kubectl ? <Snippet title="kubectl" text={example.kubectl} /> : null}
      {example.kubernetesManifest ? <Snippet title="Manifest to apply" text={example.kubernetesManifest} /> : null}
      {example.dockerRun && example.dockerRun.add.length + example.dockerRun.remove.length > 0 ? (
        <Snippet title="docker run flags" text={dockerFlags(example.dockerRun)} />
      ) : null}
      {example.compose ? <Snippet title="Compose" text={example.compose} /> : null}
      {example.dockerfile && example.dockerfile.length > 0 ? (
        <Snippet title="Dockerfile" text={example.dockerfile.join("\n")} />
      ) : null}
    </div>
  );
}
