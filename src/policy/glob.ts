/** Compiles `provider/model` glob patterns (`*`, `?`) into one case-insensitive matcher. */
export function compileGlobs(patterns: readonly string[]): (value: string) => boolean {
  if (patterns.length === 0) return () => false;
  const source = patterns
    .map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'))
    .join('|');
  const regex = new RegExp(`^(?:${source})$`, 'i');
  return (value) => regex.test(value);
}
