import { ResponseContext, type Middleware } from "@kubernetes/client-node";
import { observeSince } from "@/lib/metrics/collector-histograms";
import type { KubeApis } from "./client";
import type { ListPage } from "./paging";

interface Slot {
  items?: unknown[];
  continue?: string;
  resourceVersion?: string;
}

/** Keeps a list's items as the server sent them and hands client-node the list without them. */
function captureItems(slot: Slot): Middleware {
  return {
    pre: async (context) => context,
    post: async (response) => {
      if (response.httpStatusCode !== 200) return response;
      const list = JSON.parse(await response.body.text()) as {
        items?: unknown[];
        metadata?: { continue?: string; resourceVersion?: string };
      };
      slot.items = Array.isArray(list.items) ? list.items : [];
      slot.continue = list.metadata?.continue;
      slot.resourceVersion = list.metadata?.resourceVersion;
      const text = JSON.stringify({ ...list, items: [] });
      return new ResponseContext(response.httpStatusCode, response.headers, {
        text: async () => text,
        binary: async () => Buffer.from(text),
        stream: () => null,
      });
    },
  };
}

/**
 * One page of a list through client-node (auth, TLS, errors), its items kept as JSON. client-node would turn every
 * field of every item into typed models and back, which costs several times the fetch; the checks read JSON anyway.
 */
export async function rawPage<T>(
  apis: KubeApis,
  call: (configuration: ReturnType<KubeApis["configure"]>) => Promise<unknown>,
): Promise<ListPage<T>> {
  const slot: Slot = {};
  const start = performance.now();
  try {
    await call(apis.configure(captureItems(slot)));
  } finally {
    observeSince("rampart_collector_request_duration_seconds", "kubernetes", start);
  }
  const metadata = {
    ...(slot.continue ? { _continue: slot.continue } : {}),
    ...(slot.resourceVersion ? { resourceVersion: slot.resourceVersion } : {}),
  };
  return { items: (slot.items ?? []) as T[], metadata };
}
