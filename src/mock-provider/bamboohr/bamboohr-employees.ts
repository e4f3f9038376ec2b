// The stand-in's employees, and their field values as BambooHR computes them: display name
// from the preferred name, supervisor fields from the supervisor's own record, empty dates
// as "0000-00-00" in reports (what BambooHR sends for a date never set).

export interface StandInEmployee {
  /** BambooHR's employee id (EEID). */
  readonly id: number;
  readonly firstName: string;
  readonly lastName: string;
  readonly preferredName?: string | null;
  readonly workEmail?: string | null;
  readonly homeEmail?: string | null;
  readonly jobTitle?: string | null;
  readonly department?: string | null;
  readonly division?: string | null;
  readonly location?: string | null;
  readonly status?: 'Active' | 'Inactive';
  readonly employmentHistoryStatus?: string | null;
  readonly employeeNumber?: string | null;
  readonly hireDate?: string | null;
  /** YYYY-MM-DD; a future date keeps the employee Active until it comes (future dating). */
  readonly terminationDate?: string | null;
  /** The supervisor's employee id. */
  readonly supervisorEId?: number | null;
  readonly workPhone?: string | null;
  readonly mobilePhone?: string | null;
  /** Custom field values by the field's numeric id. */
  readonly custom?: Readonly<Record<string, string | null>>;
}

export type FieldValue = string | null;

const text = (v: string | null | undefined): FieldValue => (v === undefined || v === null || v === '' ? null : v);

/** Field values of one employee, by standard field name (custom fields aside). */
export function standardValues(e: StandInEmployee, byId: ReadonlyMap<number, StandInEmployee>): Readonly<Record<string, FieldValue>> {
  const boss = e.supervisorEId === undefined || e.supervisorEId === null ? undefined : byId.get(e.supervisorEId);
  const shownFirst = text(e.preferredName) ?? e.firstName;
  return {
    id: String(e.id),
    employeeNumber: text(e.employeeNumber),
    firstName: e.firstName,
    lastName: e.lastName,
    preferredName: text(e.preferredName),
    displayName: `${shownFirst} ${e.lastName}`,
    workEmail: text(e.workEmail),
    homeEmail: text(e.homeEmail),
    bestEmail: text(e.workEmail) ?? text(e.homeEmail),
    jobTitle: text(e.jobTitle),
    department: text(e.department),
    division: text(e.division),
    location: text(e.location),
    status: e.status ?? 'Active',
    employmentHistoryStatus: text(e.employmentHistoryStatus),
    hireDate: text(e.hireDate),
    terminationDate: text(e.terminationDate),
    supervisorEId: boss ? String(boss.id) : null,
    supervisorId: boss ? text(boss.employeeNumber) : null,
    // BambooHR writes the supervisor "Last, First".
    supervisor: boss ? `${boss.lastName}, ${text(boss.preferredName) ?? boss.firstName}` : null,
    supervisorEmail: boss ? text(boss.workEmail) : null,
    workPhone: text(e.workPhone),
    mobilePhone: text(e.mobilePhone),
  };
}

/** `count` employees across a few departments, with managers, titles and a custom job level field. */
export function generateEmployees(count: number, options: { readonly domain?: string; readonly jobLevelFieldId?: string; readonly firstId?: number } = {}): StandInEmployee[] {
  const domain = options.domain ?? 'acme.example';
  const first = options.firstId ?? 1000;
  const departments = ['Engineering', 'Product', 'Design', 'Support', 'Sales', 'Finance'];
  const titles: ReadonlyArray<readonly [string, string]> = [
    ['Engineer', 'L2'],
    ['Senior Engineer', 'L4'],
    ['Staff Engineer', 'L6'],
    ['Manager', 'L5'],
  ];
  const out: StandInEmployee[] = [];
  for (let i = 0; i < count; i++) {
    const department = departments[i % departments.length]!;
    const [jobTitle, level] = titles[i % titles.length]!;
    out.push({
      id: first + i,
      firstName: `Person${i}`,
      lastName: `Example${i}`,
      workEmail: `person${i}@${domain}`,
      jobTitle,
      department,
      division: i % 2 === 0 ? 'North America' : 'Europe',
      location: i % 2 === 0 ? 'Lindon, Utah' : 'London, UK',
      status: 'Active',
      employmentHistoryStatus: 'Full-Time',
      employeeNumber: String(i + 1),
      hireDate: '2024-01-15',
      // Everyone reports to the first person of their department.
      supervisorEId: i < departments.length ? null : first + (i % departments.length),
      ...(options.jobLevelFieldId ? { custom: { [options.jobLevelFieldId]: level } } : {}),
    });
  }
  return out;
}
