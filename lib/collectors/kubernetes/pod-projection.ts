import { ResponseContext, type Middleware } from "@kubernetes/client-node";

const ROLLED_UP = new Set(["ReplicaSet", "Job", "StatefulSet", "DaemonSet"]);

interface PodJson {
  metadata?: { name?: string; namespace?: string; uid?: string; ownerReferences?: { kind?: string; controller?: boolean }[] };
  status?: Record<string, { name?: string; imageID?: string }[] | undefined>;
}

const STATUS_LISTS = ["initContainerStatuses", "containerStatuses", "ephemeralContainerStatuses"];

/** A pod that rolls up to its owner is judged from the owner's template: only its identity and image IDs are read. */
function project(pod: PodJson): PodJson {
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (!owner?.kind || !ROLLED_UP.has(owner.kind)) return pod;
  const { name, namespace, uid, ownerReferences } = pod.metadata ?? {};
  const status: PodJson["status"] = {};
  for (const list of STATUS_LISTS) {
    const entries = pod.status?.[list];
    if (entries) status[list] = entries.map((s) => ({ name: s.name, imageID: s.imageID }));
  }
  return { metadata: { name, namespace, uid, ownerReferences }, status };
}

/**
 * client-node turns every field of every pod into typed models, which costs more than fetching them; owned pods
 * are cut to what the collector reads before that happens. Bare pods are kept whole: they are judged themselves.
 */
export const podListProjection: Middleware = {
  pre: async (context) => context,
  post: async (response) => {
    if (response.httpStatusCode !== 200) return response;
    const list = JSON.parse(await response.body.text()) as { items?: PodJson[] };
    if (Array.isArray(list.items)) list.items = list.items.map(project);
    const text = JSON.stringify(list);
    return new ResponseContext(response.httpStatusCode, response.headers, {
      text: async () => text,
      binary: async () => Buffer.from(text),
      stream: () => null,
    });
  },
};
