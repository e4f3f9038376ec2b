import { z } from 'zod';
import type { Dialect, Operation } from './upstreams/upstream.ts';

// What the gateway needs to know of each request body; everything else passes through untouched.
const maxTokens = z.number().int().nonnegative().nullish();

const chatBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.unknown()).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: maxTokens,
  max_completion_tokens: maxTokens,
  n: z.number().int().positive().nullish(),
});
const responsesBody = z.looseObject({
  model: z.string().min(1),
  // Optional: a stored prompt or a conversation can supply the whole input.
  input: z.union([z.string(), z.array(z.unknown())]).optional(),
  stream: z.boolean().nullish(),
  max_output_tokens: maxTokens,
});
const embeddingsBody = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown()).min(1)]),
});
const messagesBody = z.looseObject({
  model: z.string().min(1),
  messages: z.array(z.unknown()).min(1),
  max_tokens: z.number().int().positive(),
  stream: z.boolean().nullish(),
});

/** What a request is booked as (the ledger's `endpoint`); countTokens is free and never booked. */
export type Endpoint = Exclude<Operation, 'count_tokens'>;
export type WireFormat = Dialect;

export interface RequestFacts {
  readonly model: string;
  readonly stream: boolean;
  /** Output tokens the client allows, times the number of choices; null = the model's cap. */
  readonly outputCap: number | null;
  readonly choices: number;
  /** The client asked for the usage chunk itself (OpenAI chat streams). */
  readonly clientWantsStreamUsage: boolean;
}

export interface EndpointSpec {
  readonly endpoint: Endpoint;
  readonly route: string;
  readonly wire: WireFormat;
  readonly upstreamPath: string;
  readonly schema: z.ZodType<Record<string, unknown>>;
  readonly facts: (body: Record<string, unknown>) => RequestFacts;
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export const ENDPOINTS: readonly EndpointSpec[] = [
  {
    endpoint: 'chat.completions',
    route: '/v1/chat/completions',
    wire: 'openai',
    upstreamPath: '/chat/completions',
    schema: chatBody,
    facts: (b) => {
      const choices = num(b.n) ?? 1;
      const cap = num(b.max_completion_tokens) ?? num(b.max_tokens);
      const options = b.stream_options as { include_usage?: boolean } | null | undefined;
      return { model: b.model as string, stream: b.stream === true, outputCap: cap, choices, clientWantsStreamUsage: options?.include_usage === true };
    },
  },
  {
    endpoint: 'responses',
    route: '/v1/responses',
    wire: 'openai',
    upstreamPath: '/responses',
    schema: responsesBody,
    facts: (b) => ({ model: b.model as string, stream: b.stream === true, outputCap: num(b.max_output_tokens), choices: 1, clientWantsStreamUsage: true }),
  },
  {
    endpoint: 'embeddings',
    route: '/v1/embeddings',
    wire: 'openai',
    upstreamPath: '/embeddings',
    schema: embeddingsBody,
    facts: (b) => ({ model: b.model as string, stream: false, outputCap: 0, choices: 1, clientWantsStreamUsage: false }),
  },
  {
    endpoint: 'messages',
    route: '/v1/messages',
    wire: 'anthropic',
    upstreamPath: '/v1/messages',
    schema: messagesBody,
    facts: (b) => ({ model: b.model as string, stream: b.stream === true, outputCap: num(b.max_tokens), choices: 1, clientWantsStreamUsage: true }),
  },
];

const IMAGE_TYPES = new Set(['image_url', 'image', 'input_image']);

/** Counts image parts: each costs a bounded number of tokens that its bytes do not bound. */
export function countImages(value: unknown, rawHasImage: boolean): number {
  if (!rawHasImage) return 0;
  let count = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      if (typeof record.type === 'string' && IMAGE_TYPES.has(record.type)) count++;
      for (const key in record) if (typeof record[key] === 'object') walk(record[key]);
    }
  };
  walk(value);
  return count;
}
