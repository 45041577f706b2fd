import { z } from "zod";
import { SEVERITIES } from "@/lib/domain/severity";
import { NOTIFICATION_EVENTS } from "@/lib/notifications/payload";
import { CHANNEL_KINDS } from "@/lib/notifications/send";
import { webhookSecretKey } from "@/lib/notifications/signing";
import { plainText } from "@/lib/validation/plain-text";

/** http(s) only: an internal address is the admin's decision, a file: or other scheme never is. */
const channelUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((text) => URL.canParse(text) && ["http:", "https:"].includes(new URL(text).protocol), {
    message: "must be an http:// or https:// URL",
  });

const optionalText = plainText()
  .trim()
  .max(200)
  .nullish()
  .transform((v) => (v ? v : null));

export const channelInputSchema = z
  .object({
    name: plainText().trim().min(1, "required").max(80),
    kind: z.enum(CHANNEL_KINDS),
    url: channelUrl,
    /** webhook: a `whsec_` secret; empty makes a new one, shown once. */
    secret: optionalText.refine((text) => text === null || webhookSecretKey(text) !== undefined, {
      message: "must be a whsec_ secret (whsec_ and 24 to 64 bytes in base64), or empty to generate one",
    }),
  })
  .refine((input) => input.kind === "webhook" || input.secret === null, {
    message: "a Slack channel takes no secret: its URL is the secret",
    path: ["secret"],
  });
export type ChannelInput = z.input<typeof channelInputSchema>;

export const ruleInputSchema = z.object({
  channelId: z.uuid(),
  event: z.enum(NOTIFICATION_EVENTS),
  minSeverity: z.enum(SEVERITIES).default("high"),
  targetId: z
    .union([z.uuid(), z.literal("")])
    .nullish()
    .transform((v) => v || null),
  namespace: optionalText,
  team: optionalText,
  checkId: optionalText,
  withinDays: z.coerce.number().int().min(1).max(90).default(7),
});
export type RuleInput = z.input<typeof ruleInputSchema>;
