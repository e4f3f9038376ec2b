// POST /v1/chat/completions, standard and streamed, with `n` choices.
import { obfuscation, unixSeconds, type MockContext } from './mock-context.ts';
import { randomId, sendJson, sendSse, sseData } from './mock-http.ts';
import { dropPoint, planOutput } from './mock-plan.ts';
import { chatFileTokens } from './mock-references.ts';
import type { ChatBody } from './mock-schemas.ts';
import { countInputTokens, outputText, tokenText } from './mock-text.ts';

/**
 * prompt_tokens INCLUDES cached_tokens; completion_tokens INCLUDES reasoning_tokens
 * (summed over the `n` choices), as OpenAI reports them.
 */
function chatUsage(prompt: number, cached: number, completion: number, reasoning: number) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

export async function chatCompletions(ctx: MockContext<ChatBody>): Promise<void> {
  const { body, directives: d } = ctx;
  const plan = planOutput(body.model, body.max_completion_tokens ?? body.max_tokens, d, ctx.outputTokens);
  const choices = body.n ?? 1;
  const cached = d.cached ?? 0;
  const prompt = (d.inputTokens ?? countInputTokens(body.messages) + chatFileTokens(body.messages, d)) + cached;
  const usage = chatUsage(prompt, cached, choices * (plan.visible + plan.reasoning), choices * plan.reasoning);
  const finish = plan.truncated ? 'length' : 'stop';
  const id = `chatcmpl-${randomId()}`;
  const created = unixSeconds();
  const head = (object: string) => ({ id, object, created, model: body.model });

  if (body.stream !== true) {
    const text = outputText(plan.visible);
    const message = { role: 'assistant', content: text, refusal: null, annotations: [] };
    const list = Array.from({ length: choices }, (_, index) => ({ index, message, logprobs: null, finish_reason: finish }));
    return sendJson(ctx.reply, 200, { ...head('chat.completion'), choices: list, ...(d.noUsage === 1 ? {} : { usage }), service_tier: 'default', system_fingerprint: 'fp_mock' });
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const obfuscate = body.stream_options?.include_obfuscation !== false;
  let n = 0;
  // With include_usage every chunk carries "usage":null, and one last chunk with no
  // choices carries the usage, just before [DONE].
  const chunk = (choice: unknown) =>
    sseData({
      ...head('chat.completion.chunk'),
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [choice],
      ...(includeUsage ? { usage: null } : {}),
      ...(obfuscate ? { obfuscation: obfuscation(n++) } : {}),
    });
  const each = <T>(f: (index: number) => T) => Array.from({ length: choices }, (_, index) => f(index));
  const roles = each((index) => chunk({ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }));
  const tail = each((index) => chunk({ index, delta: {}, logprobs: null, finish_reason: finish }));
  if (includeUsage && d.noUsage !== 1) tail.push(sseData({ ...head('chat.completion.chunk'), service_tier: 'default', system_fingerprint: 'fp_mock', choices: [], usage }));
  tail.push('data: [DONE]\n\n');
  const total = choices * plan.visible;
  await sendSse(
    ctx.reply,
    {
      head: roles,
      chunks: total,
      // Choices take turns, one token per chunk.
      chunk: (k) => chunk({ index: k % choices, delta: { content: tokenText(Math.floor(k / choices)) }, logprobs: null, finish_reason: null }),
      tail,
    },
    d.delay ?? ctx.tokenDelayMs,
    dropPoint(d, total),
  );
}
