import type { DeliveryEnv } from '../config/delivery-config.schema.ts';
import type { RetryPolicy } from './outbox.repository.ts';
import { createSmtpSender, createWebhookSender, type Senders } from './senders.ts';

/** The retry policy of config/delivery-config.schema.ts's variables. */
export function retryPolicyFrom(env: DeliveryEnv): RetryPolicy {
  return {
    maxAttempts: env.STIPEND_DELIVERY_MAX_ATTEMPTS,
    baseDelayMs: env.STIPEND_DELIVERY_BACKOFF_MS,
    maxDelayMs: env.STIPEND_DELIVERY_MAX_BACKOFF_MS,
    leaseMs: env.STIPEND_DELIVERY_LEASE_MS,
  };
}

export function sendersFrom(env: DeliveryEnv, webhookUrl: string | undefined = env.STIPEND_ALERT_WEBHOOK_URL): Senders {
  return {
    ...(env.STIPEND_SMTP_URL ? { email: createSmtpSender(env.STIPEND_SMTP_URL, env.STIPEND_MAIL_FROM) } : {}),
    ...(webhookUrl ? { webhook: createWebhookSender(), webhookUrl } : {}),
  };
}
