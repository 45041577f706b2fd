import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar";
import { FailingTargetsBanner } from "@/components/layout/failing-targets-banner";
import { currentUser } from "@/lib/auth/session";
import { listFailingTargets } from "@/lib/data/targets";
import { signOut, signOutEverywhere } from "./sign-in/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Rampart", template: "%s · Rampart" },
  description: "Container security posture for Docker hosts and Kubernetes clusters",
};

/** The shell: navigation and the signed-in user's menu, and a banner on every page while a target fails. */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const failing = user ? await listFailingTargets(user.access) : [];
  return (
    <html lang="en">
      <body className="font-sans">
        <div className="flex min-h-screen flex-col sm:flex-row">
          <Sidebar user={user} signOut={signOut} signOutEverywhere={signOutEverywhere} />
          <main className="min-w-0 flex-1 px-4 py-5 sm:px-6 lg:px-8 print:p-0">
            <FailingTargetsBanner targets={failing} />
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
