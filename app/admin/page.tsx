import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Administration" };

const SECTIONS = [
  { href: "/admin/users", title: "Users", text: "Who can sign in and with which role." },
  { href: "/admin/tokens", title: "API tokens", text: "Bearer tokens for scripts and CI, with their last use." },
  {
    href: "/admin/notifications",
    title: "Notifications",
    text: "Webhook and Slack channels, rules for new findings, and the delivery log.",
  },
  {
    href: "/admin/registries",
    title: "Registries",
    text: "The only registries Rampart reads image configs from, with their logins.",
  },
  { href: "/admin/audit", title: "Audit log", text: "Sign-ins, target, exception, user and token changes." },
] as const;

export default async function AdminPage() {
  await requireRole("admin");
  return (
    <>
      <PageHeader title="Administration" />
      <ul className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {SECTIONS.map((section) => (
          <li key={section.href} className="rounded-lg border border-slate-200 bg-white p-4">
            <Link href={section.href} className="font-semibold underline">
              {section.title}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{section.text}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
