import Link from "next/link";
import { imagePath } from "@/lib/format/image-path";

/** A digest (or `text`) linked to its image page; plain text when it is no digest, "digest unknown" when absent. */
export function ImageLink({ digest, text, label }: { digest: string | null; text?: string; label?: string }) {
  const href = imagePath(digest);
  if (!href) return <span className="font-mono text-xs">{text ?? digest ?? "digest unknown"}</span>;
  return (
    <Link href={href} className="font-mono text-xs break-all underline" title={digest ?? undefined} aria-label={label}>
      {text ?? digest}
    </Link>
  );
}
