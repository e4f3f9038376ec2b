import type { ResolvedModel } from '../pricing/catalog.ts';
import type { Endpoint } from './endpoints.ts';
import { chatReach } from './reach-chat.ts';
import { geminiReach } from './reach-gemini.ts';
import { messagesReach } from './reach-messages.ts';
import { responsesReach } from './reach-responses.ts';
import { NO_REACH, type ReachResult } from './reach-shared.ts';

export type { ReachResult, RequestReach } from './reach-shared.ts';

/** Reads a request body for input and tools beyond it. Pure; the body was validated by the endpoint schema. */
export function requestReach(endpoint: Endpoint, body: Readonly<Record<string, unknown>>, model: ResolvedModel): ReachResult {
  switch (endpoint) {
    case 'responses':
      return responsesReach(body, model);
    case 'chat.completions':
      return chatReach(body);
    case 'messages':
      return messagesReach(body, model);
    case 'generate_content':
      return geminiReach(body);
    case 'embeddings':
      return { ok: true, reach: NO_REACH };
  }
}

