// The Gemini models the stand-ins serve, and which of them think.

export interface GeminiModel {
  readonly id: string;
  readonly displayName: string;
  readonly inputTokenLimit: number;
  readonly outputTokenLimit: number;
  /** Thinking models report thoughtsTokenCount (outside candidatesTokenCount). */
  readonly thinking: boolean;
  /** Pro models cannot turn thinking off (a budget of 0 is refused). */
  readonly alwaysThinks: boolean;
}

const model = (id: string, displayName: string, thinking: boolean, outputTokenLimit = 65_536): GeminiModel => ({
  id,
  displayName,
  inputTokenLimit: 1_048_576,
  outputTokenLimit,
  thinking,
  alwaysThinks: thinking && id.includes('-pro'),
});

export const GEMINI_MODELS: readonly GeminiModel[] = [
  model('gemini-2.0-flash', 'Gemini 2.0 Flash', false, 8_192),
  model('gemini-2.5-pro', 'Gemini 2.5 Pro', true),
  model('gemini-2.5-flash', 'Gemini 2.5 Flash', true),
  model('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', true),
  model('gemini-3-flash-preview', 'Gemini 3 Flash Preview', true),
  model('gemini-3.1-pro-preview', 'Gemini 3.1 Pro Preview', true),
];

export const geminiModel = (id: string): GeminiModel | undefined => GEMINI_MODELS.find((m) => m.id === id);
