import { redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";

/** Workloads are reached from their findings; the list of them is the violations table grouped by workload. */
export default async function WorkloadsPage() {
  await requireRole("viewer");
  redirect("/violations?group=workload");
}
