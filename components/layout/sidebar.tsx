import { NavLink } from "./nav-link";

const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/violations", label: "Violations" },
  { href: "/trends", label: "Trends" },
  { href: "/checks", label: "Checks" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/targets", label: "Targets" },
] as const;

export function Sidebar() {
  return (
    <aside className="w-full shrink-0 bg-slate-900 md:min-h-screen md:w-56">
      <div className="px-5 py-4 text-lg font-semibold tracking-tight text-white">Rampart</div>
      <nav aria-label="Main" className="flex gap-1 px-3 pb-3 md:block md:space-y-1">
        {NAV_ITEMS.map((item) => (
          <NavLink key={item.href} href={item.href}>
            {item.label}
          </NavLink>
        ))}
      </nav>
    </aside>
  );
}
