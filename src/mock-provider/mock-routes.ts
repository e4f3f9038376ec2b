// The routes the mock serves: validation, directives and errors shared, output per endpoint.
import type { z } from 'zod';
import { messages } from './mock-anthropic.ts';
import type { MockContext } from './mock-context.ts';
import { parseDirectives } from './mock-directives.ts';
import { directiveError, invalidBody, type MockError, type Wire } from './mock-errors.ts';
import { sendError, sleep, type Reply } from './mock-http.ts';
import { chatCompletions } from './mock-openai-chat.ts';
import { embeddings } from './mock-openai-embeddings.ts';
import { responses } from './mock-openai-responses.ts';
import { chatBody, embeddingsBody, messagesBody, responsesBody, type ChatBody } from './mock-schemas.ts';
import type { ResponseStore } from './mock-references.ts';
import { lastUserText } from './mock-text.ts';

export interface Settings {
  readonly outputTokens: number;
  readonly tokenDelayMs: number;
  readonly responses: ResponseStore;
}

export interface Route {
  readonly wire: Wire;
  /** Validates the parsed JSON body, applies the directives and answers. */
  serve(body: unknown, reply: Reply, settings: Settings): Promise<void>;
}

function route<B>(
  wire: Wire,
  schema: z.ZodType<B>,
  directiveText: (body: B) => string,
  handle: (ctx: MockContext<B>) => Promise<void>,
  check: (body: B) => MockError | null = () => null,
): Route {
  return {
    wire,
    async serve(raw, reply, settings) {
      const parsed = schema.safeParse(raw, { reportInput: true });
      if (!parsed.success) return sendError(reply, invalidBody(wire, parsed.error.issues[0]!));
      const invalid = check(parsed.data);
      if (invalid) return sendError(reply, invalid);
      const directives = parseDirectives(directiveText(parsed.data));
      await sleep(directives.latency ?? 0);
      if (reply.res.destroyed) return;
      if (directives.status !== undefined) return sendError(reply, directiveError(directives.status));
      await handle({ body: parsed.data, reply, directives, ...settings });
    },
  };
}

const streamOptionsNeedStream = (b: ChatBody): MockError | null =>
  b.stream_options != null && b.stream !== true
    ? { status: 400, message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.", param: 'stream_options' }
    : null;

/** Embeddings have no user message: directives ride in the last string input. */
const lastString = (input: unknown): string => (typeof input === 'string' ? input : Array.isArray(input) ? lastString(input.at(-1)) : '');

/** POST routes by path (served exactly under /v1). */
export const ROUTES: Readonly<Record<string, Route>> = {
  '/v1/chat/completions': route('openai', chatBody, (b) => lastUserText(b.messages), chatCompletions, streamOptionsNeedStream),
  '/v1/responses': route('openai', responsesBody, (b) => (typeof b.input === 'string' ? b.input : lastUserText(b.input ?? [])), responses),
  '/v1/embeddings': route('openai', embeddingsBody, (b) => lastString(b.input), embeddings),
  '/v1/messages': route('anthropic', messagesBody, (b) => lastUserText(b.messages), messages),
};
