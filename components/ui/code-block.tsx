import { visibleText } from "@/lib/format/visible-text";
import { CopyButton } from "./copy-button";

/**
 * A snippet with a copy button; what is copied is exactly what is shown. Snippets carry collected names, so
 * bidi and control characters are written out: a command that reads differently than it runs is never offered.
 */
export function CodeBlock({ code: raw, label }: { code: string; label: string }) {
  const code = visibleText(raw, { multiline: true });
  return (
    <div className="relative rounded-md bg-slate-900">
      <div className="absolute top-2 right-2">
        <CopyButton text={code} label={`Copy ${label}`} />
      </div>
      <pre aria-label={label} className="overflow-x-auto p-3 pr-20 font-mono text-xs leading-relaxed text-slate-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}
