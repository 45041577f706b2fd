"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const isActive = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={isActive ? "page" : undefined}
      className={cn(
        "block rounded-md px-3 py-2 text-sm font-medium",
        isActive ? "bg-shell-hover text-shell-ink" : "text-shell-muted hover:bg-shell-hover hover:text-shell-ink",
      )}
    >
      {children}
    </Link>
  );
}
