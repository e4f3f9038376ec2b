// Shared by the mock's tests: the official SDKs pointed at a mock, and a raw SSE reader.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { MockProvider } from './mock-provider.ts';

export const openAiClient = (mock: MockProvider): OpenAI => new OpenAI({ apiKey: 'sk-test', baseURL: `${mock.url}/v1`, maxRetries: 0 });

export const anthropicClient = (mock: MockProvider): Anthropic => new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.url, maxRetries: 0 });

export interface SseFrame {
  readonly event: string | undefined;
  readonly data: string;
}

/** Splits an SSE body into frames (event name and data). */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data };
    });
}

/** POSTs JSON and reads the whole body as text; `cut` is true when the connection dropped mid-body. */
export async function postRaw(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Headers; text: string; cut: boolean }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let cut = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    cut = true;
  }
  return { status: res.status, headers: res.headers, text, cut };
}

export const OPENAI_AUTH = { authorization: 'Bearer sk-test' } as const;
export const ANTHROPIC_AUTH = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' } as const;
