// One BambooHR company as the stand-in holds it: employees, custom fields, and whether the
// company directory is turned on (each company may turn it off in its settings).
import type { CustomField, FieldInfo } from './bamboohr-fields.ts';
import { STANDARD_FIELDS } from './bamboohr-fields.ts';
import type { FieldValue, StandInEmployee } from './bamboohr-employees.ts';

export interface Company {
  readonly domain: string;
  readonly employees: readonly StandInEmployee[];
  readonly customFields: readonly CustomField[];
  readonly directoryEnabled: boolean;
}

export interface ResolvedField {
  /** As the caller asked for it (a report's keys are the requested names). */
  readonly requested: string;
  readonly info: FieldInfo;
  value(e: StandInEmployee, values: Readonly<Record<string, FieldValue>>): FieldValue;
}

const STANDARD = new Map(STANDARD_FIELDS.map((f) => [f.id, f]));

/** The field a name or numeric id refers to, or undefined (BambooHR then leaves it out silently). */
export function resolveField(company: Company, requested: string): ResolvedField | undefined {
  const standard = STANDARD.get(requested);
  if (standard) return { requested, info: { ...standard, id: requested }, value: (_e, values) => values[requested] ?? null };
  const custom = company.customFields.find((f) => f.id === requested || (f.alias !== undefined && f.alias === requested));
  if (!custom) return undefined;
  return { requested, info: { id: requested, type: custom.type ?? 'text', name: custom.name }, value: (e) => e.custom?.[custom.id] ?? null };
}

export const employeesById = (company: Company): ReadonlyMap<number, StandInEmployee> => new Map(company.employees.map((e) => [e.id, e]));
