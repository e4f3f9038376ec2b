import { z } from 'zod';
import { parseUsd } from './money.ts';

// Prices are written as people read them (USD per 1M tokens, decimal strings, as on the
// providers' pages) and parsed once into bigint nano-dollars per 1M tokens. The same
// schema checks the shipped catalog and an operator's override file.

const usd = z.string().transform((text, ctx) => {
  try {
    return parseUsd(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: `must be a USD amount per 1M tokens like "2.50" (at most 9 decimals), got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
});

const rates = {
  input: usd,
  cachedInput: usd.optional(), // cache reads
  cacheWrite5m: usd.optional(), // short-lived cache writes (Anthropic 5 min, OpenAI 30 min)
  cacheWrite1h: usd.optional(), // long-lived cache writes (Anthropic 1 h, OpenAI 12 h)
  output: usd.optional(), // absent for embeddings
};

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like "2026-11-22"', abort: true })
  .refine((day) => {
    const date = new Date(`${day}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day);
  }, 'must be a real calendar date');

export const PROVIDERS = ['openai', 'anthropic', 'google'] as const;
/** Cloud platforms that resell the providers' models at prices of their own (docs/providers.md). */
export const PLATFORMS = ['azure-openai', 'bedrock', 'vertex-ai'] as const;
export const PLATFORM_SCOPES = ['global', 'regional', 'data-zone'] as const;

export const catalogEntrySchema = z
  .strictObject({
    provider: z.enum(PROVIDERS),
    model: z.string().min(1), // the canonical id clients send
    /** The price of the model on a cloud platform (a contract, or a published platform price); absent: at the provider. */
    platform: z.enum(PLATFORMS).optional(),
    /** With `platform`: only for global, regional or data-zone endpoints/deployments; absent: all of them. */
    scope: z.enum(PLATFORM_SCOPES).optional(),
    aliases: z.array(z.string().min(1)).readonly().default([]),
    kind: z.enum(['chat', 'embedding']).default('chat'),
    ...rates,
    maxOutputTokens: z.number().int().nonnegative(),
    /**
     * The most input tokens the model reads in one call (its context window; for a model
     * with an opt-in larger window, the larger one). Bounds input the body does not carry
     * (previous responses, files, server-side tools). Absent: such requests are refused.
     */
    contextWindow: z.number().int().positive().optional(),
    /** The page the context window was read from (defaults to `source`). */
    contextWindowSource: z.url().optional(),
    /** A higher tier billed on EVERY token of a request whose prompt exceeds the threshold. */
    longContext: z.strictObject({ aboveInputTokens: z.number().int().positive(), ...rates }).optional(),
    source: z.url(), // the provider's page the price was read from (or an operator's contract)
    checkedOn: isoDay,
  })
  .superRefine((entry, ctx) => {
    // A chat model without an output price would bill its output at $0.
    if (entry.kind === 'chat' && entry.output === undefined) ctx.addIssue({ code: 'custom', path: ['output'], message: 'a chat model needs an output price' });
    if (entry.kind === 'chat' && entry.maxOutputTokens === 0) ctx.addIssue({ code: 'custom', path: ['maxOutputTokens'], message: 'a chat model needs a positive output cap' });
    if (entry.kind === 'chat' && entry.longContext && entry.longContext.output === undefined) {
      ctx.addIssue({ code: 'custom', path: ['longContext', 'output'], message: 'a chat model needs an output price in its long-context tier' });
    }
    if (entry.contextWindowSource !== undefined && entry.contextWindow === undefined) {
      ctx.addIssue({ code: 'custom', path: ['contextWindow'], message: 'contextWindowSource needs a contextWindow' });
    }
    if (entry.scope !== undefined && entry.platform === undefined) ctx.addIssue({ code: 'custom', path: ['scope'], message: 'scope needs a platform' });
    if (entry.kind === 'embedding' && entry.maxOutputTokens !== 0) ctx.addIssue({ code: 'custom', path: ['maxOutputTokens'], message: 'an embedding model has maxOutputTokens 0' });
  });

/** An override file: a list of entries, or `{ models: [...] }`. */
export const catalogFileSchema = z.union([z.array(z.unknown()), z.strictObject({ models: z.array(z.unknown()) }).transform((file) => file.models)]);

/** An entry as people write it (decimal USD strings). */
export type CatalogEntryInput = z.input<typeof catalogEntrySchema>;
/** A parsed entry: every price is bigint nano-dollars per 1M tokens. */
export type CatalogEntry = Readonly<z.output<typeof catalogEntrySchema>>;
/** A model the gateway can price (a parsed catalog entry). */
export type PricedModel = CatalogEntry;
export type Provider = CatalogEntry['provider'];
export type RateTier = Pick<CatalogEntry, 'input' | 'cachedInput' | 'cacheWrite5m' | 'cacheWrite1h' | 'output'>;
