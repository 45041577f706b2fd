import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { FRAMEWORK_IDS, FRAMEWORKS } from "@/lib/frameworks";
import { fleetHref, type FleetFilter } from "@/lib/scope/fleet-scope";

const SHORT: Record<(typeof FRAMEWORK_IDS)[number], string> = {
  "cis-docker": "CIS Docker",
  "pod-security": "Pod Security",
  "nsa-cisa": "NSA/CISA",
  "cis-kubernetes": "CIS Kubernetes",
};

/** The matrix and one view per framework, as links (each view is its own page, so it can be bookmarked and printed). */
export function ComplianceTabs({
  current,
  scope = {},
}: {
  current: "matrix" | (typeof FRAMEWORK_IDS)[number];
  scope?: FleetFilter;
}) {
  const items = [
    { id: "matrix", label: "Matrix", href: "/compliance" },
    ...FRAMEWORK_IDS.map((id) => ({
      id,
      label: SHORT[id],
      href: fleetHref(`/compliance/frameworks/${id}`, scope),
      title: FRAMEWORKS[id].name,
    })),
  ];
  return (
    <nav
      aria-label="Compliance views"
      className="mb-4 flex flex-wrap gap-1 border-b border-slate-200 pb-2 print:hidden"
    >
      {items.map((item) => (
        <Link
          key={item.id}
          href={item.href}
          aria-current={item.id === current ? "page" : undefined}
          className={cn(
            "rounded-md px-3 py-1 text-sm",
            item.id === current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100",
          )}
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
