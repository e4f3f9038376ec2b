import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../parse-env.ts';
import { glMappingSchema, type GlMapping } from './gl-mapping.schema.ts';

/** Validates a mapping already parsed from YAML/JSON; errors name each bad field by its path. */
export function parseGlMapping(raw: unknown, source = 'GL mapping'): GlMapping {
  const result = glMappingSchema.safeParse(raw ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : '(file)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${source}: invalid GL mapping: ${issues}`);
  }
  return result.data;
}

/** Reads the mapping file (STIPEND_GL_MAPPING_FILE: a path, in a cluster the mounted ConfigMap). */
export function loadGlMapping(path: string): GlMapping {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the GL mapping: ${(error as Error).message}`);
  }
  return parseGlMapping(raw, path);
}
