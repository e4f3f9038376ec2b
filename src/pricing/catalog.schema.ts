import { z } from 'zod';
import { parseUsd } from './money.ts';

// Prices are written as people read them (USD per 1M tokens, decimal strings) and
// parsed once into bigint nano-dollars per 1M tokens.
const usd = z
  .string()
  .regex(/^\d+(\.\d{1,9})?$/, 'must be a USD decimal string like "2.50"')
  .transform(parseUsd);

const rates = {
  input: usd,
  cachedInput: usd.optional(),
  cacheWrite5m: usd.optional(),
  cacheWrite1h: usd.optional(),
  output: usd.optional(),
};

export const catalogEntrySchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic', 'google']),
  model: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  kind: z.enum(['chat', 'embedding']).default('chat'),
  ...rates,
  maxOutputTokens: z.number().int().nonnegative(),
  /** A higher tier billed on EVERY token of a request whose prompt exceeds the threshold. */
  longContext: z.strictObject({ aboveInputTokens: z.number().int().positive(), ...rates }).optional(),
  source: z.string().url(),
  checkedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export const catalogFileSchema = z.union([
  z.array(catalogEntrySchema),
  z.strictObject({ models: z.array(catalogEntrySchema) }).transform((f) => f.models),
]);

export type CatalogEntryInput = z.input<typeof catalogEntrySchema>;
export type PricedModel = z.output<typeof catalogEntrySchema>;
