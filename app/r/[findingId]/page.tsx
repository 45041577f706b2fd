import { notFound, redirect } from "next/navigation";
import { requireRole } from "@/lib/auth/session";
import { getFindingLocation } from "@/lib/data/workloads";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The stable link of one finding, for notifications and tickets: its check on its workload page. */
export default async function FindingLink(props: { params: Promise<{ findingId: string }> }) {
  const user = await requireRole("viewer");
  const { findingId } = await props.params;
  if (!UUID.test(findingId)) notFound();
  const location = await getFindingLocation(findingId, user.access);
  if (!location) notFound();
  redirect(`/workloads/${location.workloadId}#${encodeURIComponent(location.anchor)}`);
}
