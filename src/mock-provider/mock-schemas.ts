// Request bodies, validated leniently: unknown fields pass, and only the fields the
// mock reads are checked, with the real APIs' rules (a wrong type is a 400 there too).
import { z } from 'zod';

const model = z.string().min(1);
const flag = z.boolean().nullish();
const cap = z.number().int().nonnegative().nullish();

export const chatBody = z.looseObject({
  model,
  messages: z.array(z.unknown()).min(1),
  stream: flag,
  stream_options: z.looseObject({ include_usage: flag, include_obfuscation: flag }).nullish(),
  max_tokens: cap,
  max_completion_tokens: cap,
  n: z.number().int().min(1).max(128).nullish(),
});

export const responsesBody = z.looseObject({
  model,
  input: z.union([z.string(), z.array(z.unknown())]).nullish(),
  instructions: z.string().nullish(),
  stream: flag,
  stream_options: z.looseObject({ include_obfuscation: flag }).nullish(),
  // The Responses API refuses caps below 16.
  max_output_tokens: z.number().int().min(16).nullish(),
  max_tool_calls: z.number().int().nonnegative().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  store: flag,
  tools: z.array(z.unknown()).nullish(),
});

export const embeddingsBody = z.looseObject({
  model,
  input: z.union([z.string(), z.array(z.union([z.string(), z.number(), z.array(z.number())])).min(1)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).max(3072).nullish(),
});

export const messagesBody = z.looseObject({
  model,
  messages: z.array(z.unknown()).min(1),
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(z.unknown())]).nullish(),
  stream: flag,
  tools: z.array(z.unknown()).nullish(),
});

export type ChatBody = z.infer<typeof chatBody>;
export type ResponsesBody = z.infer<typeof responsesBody>;
export type EmbeddingsBody = z.infer<typeof embeddingsBody>;
export type MessagesBody = z.infer<typeof messagesBody>;
