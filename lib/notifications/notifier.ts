import type { Db } from "@/lib/db";
import { deliverDueNotifications, enqueueExpiringExceptions } from "@/lib/services/notifications";

export interface Notifier {
  stop(): Promise<void>;
}

const EXPIRY_CHECK_MS = 10 * 60_000;

/**
 * The delivery loop each worker runs beside its scheduler: sends due messages every `intervalMs` (at once again
 * while a batch came back full), and queues the daily expiring-exceptions digests every ten minutes.
 */
export function startNotifier(options: { db: Db; intervalMs?: number }): Notifier {
  const { db } = options;
  const intervalMs = options.intervalMs ?? 5000;
  const controller = new AbortController();
  let lastExpiryCheck = 0;
  const loop = (async () => {
    while (!controller.signal.aborted) {
      let busy = false;
      try {
        if (Date.now() - lastExpiryCheck >= EXPIRY_CHECK_MS) {
          lastExpiryCheck = Date.now();
          await enqueueExpiringExceptions(db);
        }
        busy = (await deliverDueNotifications(db, { limit: 20 })) === 20;
      } catch (error) {
        console.error(`rampart: notification delivery: ${(error as Error).name}`);
      }
      if (busy) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, intervalMs);
        function done() {
          clearTimeout(timer);
          controller.signal.removeEventListener("abort", done);
          resolve();
        }
        controller.signal.addEventListener("abort", done, { once: true });
      });
    }
  })();
  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
