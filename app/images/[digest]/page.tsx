import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { ImageSecrets } from "@/components/images/image-secrets";
import { ImageSummary } from "@/components/images/image-summary";
import { ImageVulnerabilities } from "@/components/images/image-vulnerabilities";
import { ImageWorkloads } from "@/components/images/image-workloads";
import { PanelSkeleton } from "@/components/ui/list-skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { acceptFormProp } from "@/app/vulnerabilities/accept-form";
import { requireRole } from "@/lib/auth/session";
import { getDb } from "@/lib/db";
import { currentReportIds, getImage, type ImageView } from "@/lib/data/image";
import { digestFromSegment } from "@/lib/format/image-path";
import { listImageSecrets } from "@/lib/data/image-secrets";
import { listImageVulnerabilities } from "@/lib/data/image-vulnerabilities";
import { IMAGE_WORKLOADS_LIMIT, listImageWorkloads } from "@/lib/data/image-workloads";
import { visibleText } from "@/lib/format/visible-text";
import { mayManageVulnerabilityExceptions } from "@/lib/services/reports";
import type { Access } from "@/lib/scope/access-scope";

export const metadata: Metadata = { title: "Image" };

/** `/images/<digest>`: any digest the image is known by. Digests and reports first; the rest streams. */
export default async function ImagePage(props: { params: Promise<{ digest: string }> }) {
  const user = await requireRole("viewer");
  const digest = digestFromSegment((await props.params).digest);
  if (!digest) notFound();
  const image = await getImage(getDb(), user.access, digest);
  if (!image) notFound();
  const title = image.names[0] ? visibleText(image.names[0]) : `${digest.slice(0, 19)}…`;
  const running = image.runningWorkloads;
  return (
    <>
      <PageHeader
        title={`Image ${title}`}
        description={running === 0 ? "Not running" : `Running in ${running} workload${running === 1 ? "" : "s"}`}
      />
      <ImageSummary image={image} />
      <Suspense fallback={<PanelSkeleton label="Loading workloads" className="mb-6 h-32" />}>
        <Workloads access={user.access} image={image} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton label="Loading vulnerabilities" className="mb-6 h-64" />}>
        <Vulnerabilities access={user.access} image={image} canAccept={mayManageVulnerabilityExceptions(user)} />
      </Suspense>
      <Suspense fallback={<PanelSkeleton label="Loading secrets" className="mb-6 h-24" />}>
        <Secrets image={image} />
      </Suspense>
    </>
  );
}

const digestsOf = (image: ImageView) => image.digests.map((d) => d.digest);

async function Workloads({ access, image }: { access: Access; image: ImageView }) {
  const rows = await listImageWorkloads(getDb(), { access, digests: digestsOf(image) });
  return <ImageWorkloads rows={rows} limit={IMAGE_WORKLOADS_LIMIT} />;
}

/** An exception limited to this image names a digest its containers record (the asked one first). */
function exceptionDigest(image: ImageView): string {
  const onContainers = image.digests.filter((d) => d.isOnContainer).map((d) => d.digest);
  return onContainers.includes(image.digest) ? image.digest : (onContainers[0] ?? image.digest);
}

async function Vulnerabilities(props: { access: Access; image: ImageView; canAccept: boolean }) {
  const { access, image } = props;
  const reportIds = currentReportIds(image, "vulnerabilities");
  const found = await listImageVulnerabilities(getDb(), { access, digests: digestsOf(image), reportIds });
  const scope = { image: exceptionDigest(image), label: `for this image (${exceptionDigest(image).slice(0, 19)}…)` };
  return (
    <ImageVulnerabilities
      {...found}
      scanned={reportIds.length > 0}
      {...acceptFormProp(props.canAccept ? scope : null)}
    />
  );
}

async function Secrets({ image }: { image: ImageView }) {
  const reportIds = currentReportIds(image, "secrets");
  const rows = await listImageSecrets(getDb(), reportIds);
  return <ImageSecrets rows={rows} scanned={reportIds.length > 0} />;
}
