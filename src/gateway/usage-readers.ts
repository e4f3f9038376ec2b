import type { Usage } from '../pricing/cost.ts';
import { trackAnthropicStream } from '../providers/anthropic-stream.ts';
import { trackGeminiStream } from '../providers/gemini-stream.ts';
import { usageFromGeminiResponse } from '../providers/gemini-usage.ts';
import { usageFromAnthropicMessage } from '../providers/anthropic-usage.ts';
import { trackOpenAiChatStream } from '../providers/openai-chat-stream.ts';
import { trackOpenAiResponsesStream } from '../providers/openai-responses-stream.ts';
import { usageFromChatCompletion, usageFromEmbeddings, usageFromResponse } from '../providers/openai-usage.ts';
import type { StreamTracker } from '../providers/stream-tracker.ts';
import type { ResponseShape } from '../providers/usage-estimate.ts';
import type { Endpoint } from './endpoints.ts';

export interface UsageReader {
  readonly shape: ResponseShape;
  readonly fromBody: (body: unknown) => Usage | null;
  readonly tracker: (options: { readonly stripUsage: boolean }) => StreamTracker;
}

const READERS: Readonly<Record<Endpoint, UsageReader>> = {
  'chat.completions': { shape: 'chat', fromBody: usageFromChatCompletion, tracker: (o) => trackOpenAiChatStream(o) },
  responses: { shape: 'responses', fromBody: usageFromResponse, tracker: () => trackOpenAiResponsesStream() },
  embeddings: { shape: 'embeddings', fromBody: usageFromEmbeddings, tracker: () => trackOpenAiChatStream({ stripUsage: false }) },
  messages: { shape: 'messages', fromBody: usageFromAnthropicMessage, tracker: () => trackAnthropicStream() },
  generate_content: { shape: 'gemini', fromBody: usageFromGeminiResponse, tracker: () => trackGeminiStream() },
};

export const usageReaderFor = (endpoint: Endpoint): UsageReader => READERS[endpoint];
