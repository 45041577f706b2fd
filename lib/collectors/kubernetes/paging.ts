import { describeAction, describeKubeError, KubeReadError, statusOf, type ReadAction } from "./errors";

export interface ListPage<T> {
  items: T[];
  /** `resourceVersion`: the list's, from which a watch starts. */
  metadata?: { _continue?: string; resourceVersion?: string };
}

export interface PagedList<T> {
  action: ReadAction;
  fetch(params: { limit: number; _continue?: string }): Promise<ListPage<T>>;
}

export const PAGE_SIZE = 500;

/**
 * Pages of one list, the next page fetched while the caller works on the current one (so at most two pages
 * are held). A 410 Gone restarts the list from the start once: callers dedupe by uid, so the restart is safe.
 */
export async function* readPages<T>(list: PagedList<T>, server: string, pageSize = PAGE_SIZE): AsyncGenerator<T[]> {
  let restarted = false;
  let pending = request(list, pageSize);
  while (true) {
    let page: ListPage<T>;
    try {
      page = await pending;
    } catch (error) {
      if (statusOf(error) === 410 && !restarted) {
        restarted = true;
        pending = request(list, pageSize);
        continue;
      }
      if (statusOf(error) === 410) {
        throw new KubeReadError(
          `cannot ${describeAction(list.action)}: the list expired again after a restart (410 Gone)`,
          410,
        );
      }
      throw describeKubeError(error, list.action, server);
    }
    const next = page.metadata?._continue;
    if (next) pending = request(list, pageSize, next);
    yield page.items;
    if (!next) return;
  }
}

function request<T>(list: PagedList<T>, limit: number, token?: string): Promise<ListPage<T>> {
  const promise = list.fetch(token ? { limit, _continue: token } : { limit });
  // The caller may stop reading before this page is awaited: keep its failure from being unhandled.
  promise.catch(() => undefined);
  return promise;
}
