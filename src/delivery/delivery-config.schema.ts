import { z } from 'zod';
import type { RetryPolicy } from './outbox.repository.ts';
import { createSmtpSender, createWebhookSender, type Senders } from './senders.ts';

/** Delivery configuration (env) shared by `stipend alerts` and `stipend report monthly`. */
export const deliveryEnvSchema = z.object({
  STIPEND_SMTP_URL: z.string().url().optional(),
  STIPEND_MAIL_FROM: z.string().min(3).default('Stipend <stipend@localhost>'),
  STIPEND_ALERT_WEBHOOK_URL: z.string().url().optional(),
  STIPEND_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  STIPEND_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(30_000),
  STIPEND_DELIVERY_MAX_BACKOFF_MS: z.coerce.number().int().min(1).default(3_600_000),
  STIPEND_DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  STIPEND_ALERTS_POLL_MS: z.coerce.number().int().min(100).default(15_000),
});

export type DeliveryEnv = z.infer<typeof deliveryEnvSchema>;

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
