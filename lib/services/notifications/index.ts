export { createChannel, createRule, deleteChannel, deleteRule } from "./channels";
export { deliverDueNotifications, MAX_ATTEMPTS, sendTestNotification } from "./deliver-notifications";
export {
  enqueueExpiringExceptions,
  enqueueRunNotifications,
  notifyAfterRun,
  type RunOutcome,
} from "./enqueue-notifications";
export { channelInputSchema, ruleInputSchema, type ChannelInput, type RuleInput } from "./notification-input";
