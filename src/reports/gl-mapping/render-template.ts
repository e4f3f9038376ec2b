import type { TemplateField } from './gl-mapping.schema.ts';

/** Fills {placeholders} (validated by the schema); a value the group lacks renders empty. */
export function renderTemplate(template: string, values: Partial<Record<TemplateField, string | null>>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (_, name: string) => values[name as TemplateField] ?? '').replace(/\s+·\s*$/, '');
}

/** An ISO day (YYYY-MM-DD) in a mapping's date pattern (MM/DD/YYYY, DD.MM.YYYY, M/D/YYYY, …). */
export function formatDate(isoDay: string, pattern: string): string {
  const [y, m, d] = isoDay.split('-') as [string, string, string];
  return pattern.replace(/YYYY|MM|DD|M|D/g, (token) =>
    token === 'YYYY' ? y : token === 'MM' ? m : token === 'DD' ? d : token === 'M' ? String(Number(m)) : String(Number(d)),
  );
}
