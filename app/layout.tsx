import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Sidebar } from "@/components/layout/sidebar";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Rampart", template: "%s · Rampart" },
  description: "Container security posture for Docker hosts and Kubernetes clusters",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="font-sans">
        <div className="flex min-h-screen flex-col md:flex-row">
          <Sidebar />
          <main className="min-w-0 flex-1 px-6 py-6 md:px-10">{children}</main>
        </div>
      </body>
    </html>
  );
}
