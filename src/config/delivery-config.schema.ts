import { z } from 'zod';

/** Mail and webhook delivery with retries, shared by `stipend alerts` and `stipend report monthly`. */
export const deliveryEnv = {
  STIPEND_SMTP_URL: z.string().url().optional(),
  STIPEND_MAIL_FROM: z.string().min(3).default('Stipend <stipend@localhost>'),
  STIPEND_ALERT_WEBHOOK_URL: z.string().url().optional(),
  STIPEND_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  STIPEND_DELIVERY_BACKOFF_MS: z.coerce.number().int().min(1).default(30_000),
  STIPEND_DELIVERY_MAX_BACKOFF_MS: z.coerce.number().int().min(1).default(3_600_000),
  STIPEND_DELIVERY_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
} as const;

export const deliveryEnvSchema = z.object(deliveryEnv);
export type DeliveryEnv = z.infer<typeof deliveryEnvSchema>;
