// POST /v1/embeddings: one small deterministic unit vector per input.
import type { MockContext } from './mock-context.ts';
import { sendJson } from './mock-http.ts';
import type { EmbeddingsBody } from './mock-schemas.ts';

/** Default vector length (real models use 256–3072; small keeps tests and benchmarks light). */
export const EMBEDDING_DIMENSIONS = 8;

type Input = string | readonly number[];

/** A string, a list of strings, one token array, or a list of token arrays. */
function inputsOf(input: EmbeddingsBody['input']): readonly Input[] {
  if (typeof input === 'string') return [input];
  if (input.every((x) => typeof x === 'number')) return [input as number[]];
  return input.map((x) => (typeof x === 'number' ? [x] : x));
}

/** Tokens of an input: a token per 4 UTF-8 bytes (at least 1), or a token array's length. */
export const embeddingTokens = (input: Input): number =>
  typeof input === 'string' ? Math.max(1, Math.ceil(Buffer.byteLength(input) / 4)) : input.length;

/** A unit vector seeded by the input's FNV-1a hash: same input, same vector. */
export function embeddingVector(input: Input, dimensions: number): number[] {
  const key = typeof input === 'string' ? input : input.join(',');
  let seed = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) seed = Math.imul(seed ^ key.charCodeAt(i), 0x01000193);
  const raw: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    seed = (seed + 0x6d2b79f5) | 0; // mulberry32 step
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    raw.push(((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5);
  }
  const norm = Math.hypot(...raw) || 1;
  // Rounded to float32 so float and base64 answers carry the same numbers.
  return raw.map((x) => Math.fround(x / norm));
}

/** float32 little-endian, base64: what `encoding_format: 'base64'` returns. */
export function toBase64(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((x, i) => buffer.writeFloatLE(x, i * 4));
  return buffer.toString('base64');
}

export async function embeddings(ctx: MockContext<EmbeddingsBody>): Promise<void> {
  const { body } = ctx;
  const inputs = inputsOf(body.input);
  const dimensions = body.dimensions ?? EMBEDDING_DIMENSIONS;
  const base64 = body.encoding_format === 'base64';
  const data = inputs.map((input, index) => {
    const vector = embeddingVector(input, dimensions);
    return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector };
  });
  const tokens = inputs.reduce((sum, input) => sum + embeddingTokens(input), 0);
  sendJson(ctx.reply, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}
