// Stream payloads are read by hand rather than through zod: these run on every
// streamed event, and only a few fields are needed (usage objects still go through
// the schemas in usage-schemas.ts).

export type JsonObject = Readonly<Record<string, unknown>>;

export const isJsonObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value);

/** An event's data as a JSON object, or null ([DONE], comments, malformed or non-object JSON). */
export function parseJsonObject(data: string): JsonObject | null {
  if (data.charCodeAt(0) !== 0x7b /* '{' */ && !data.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(data);
    return isJsonObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** A string field's value, or undefined. */
export const stringField = (o: unknown, key: string): string | undefined => {
  const value = isJsonObject(o) ? o[key] : undefined;
  return typeof value === 'string' ? value : undefined;
};
