// GET /v1/models in each provider's shape.
import { sendJson, type Reply } from './mock-http.ts';

export const OPENAI_MODELS: readonly string[] = ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-5', 'gpt-5-mini', 'o3', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large'];
export const ANTHROPIC_MODELS: readonly string[] = ['claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5'];

/** `{"object":"list","data":[{"id","object":"model","created","owned_by"}]}` */
export function openAiModels(reply: Reply): void {
  const data = OPENAI_MODELS.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'system' }));
  sendJson(reply, 200, { object: 'list', data });
}

/** `{"data":[{"type":"model","id","display_name","created_at"}],"has_more","first_id","last_id"}` */
export function anthropicModels(reply: Reply): void {
  const data = ANTHROPIC_MODELS.map((id) => ({ type: 'model', id, display_name: id.replace(/^claude-/, 'Claude ').replaceAll('-', ' '), created_at: '2025-09-29T00:00:00Z' }));
  sendJson(reply, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
}
