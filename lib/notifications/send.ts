import { visibleText } from "@/lib/format/visible-text";
import { renderSlack, type NotificationPayload } from "./payload";
import { signWebhook } from "./signing";

export const CHANNEL_KINDS = ["webhook", "slack"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** What a channel's encrypted credentials hold. */
export interface ChannelSecret {
  url: string;
  /** webhook: the `whsec_` signing secret. */
  secret?: string;
}

export interface SendResult {
  ok: boolean;
  status?: number;
  /** Visible text of the response body, at most EXCERPT_CHARS characters. */
  excerpt?: string;
  error?: string;
}

const TIMEOUT_MS = 10_000;
const READ_BYTES = 4096;
export const EXCERPT_CHARS = 200;

/** Reads at most READ_BYTES of a body and cancels the rest, so a hostile receiver cannot stream forever. */
async function readExcerpt(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, READ_BYTES).toString("utf8");
  return visibleText(text.replace(/\s+/g, " ").trim()).slice(0, EXCERPT_CHARS);
}

/**
 * One attempt at one message. The webhook id is the delivery's, the same on every retry, so a receiver can drop
 * duplicates. Redirects are not followed: the admin chose this address, not the server answering it.
 */
export async function sendNotification(input: {
  kind: ChannelKind;
  channel: ChannelSecret;
  deliveryId: string;
  payload: NotificationPayload;
  now?: Date;
}): Promise<SendResult> {
  const { kind, channel, payload } = input;
  const body = JSON.stringify(kind === "slack" ? renderSlack(payload) : payload);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "rampart" };
  if (kind === "webhook") {
    if (!channel.secret) return { ok: false, error: "the channel has no signing secret" };
    const timestamp = Math.floor((input.now ?? new Date()).getTime() / 1000);
    Object.assign(headers, signWebhook({ secret: channel.secret, id: `msg_${input.deliveryId}`, timestamp, body }));
  }
  try {
    const response = await fetch(channel.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const excerpt = await readExcerpt(response);
    const ok = response.status >= 200 && response.status < 300;
    return { ok, status: response.status, excerpt, ...(ok ? {} : { error: `HTTP ${response.status}` }) };
  } catch (error) {
    // The cause names what went wrong (ECONNREFUSED, bad port), never the URL's path, which may be a secret.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as Error).name;
    const reason = cause?.code ?? visibleText(cause?.message ?? "request failed").slice(0, 100);
    return { ok: false, error: name === "TimeoutError" ? "timed out" : reason };
  }
}
