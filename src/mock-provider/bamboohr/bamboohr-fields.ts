// The employee fields the stand-in knows, named as BambooHR's API names them (its "List of
// field names"), with the type and label its reports put in `fields`. Custom fields are
// requested by numeric id or by alias and come back under the name they were asked by.

export interface FieldInfo {
  readonly id: string;
  readonly type: string;
  readonly name: string;
}

/** Standard fields: the ones a people sync uses, and a few it does not (to be left alone). */
export const STANDARD_FIELDS: readonly FieldInfo[] = [
  { id: 'id', type: 'int', name: 'EEID' },
  { id: 'employeeNumber', type: 'employee_number', name: 'Employee #' },
  { id: 'firstName', type: 'text', name: 'First Name' },
  { id: 'lastName', type: 'text', name: 'Last Name' },
  { id: 'preferredName', type: 'text', name: 'Preferred Name' },
  { id: 'displayName', type: 'text', name: 'Display Name' },
  { id: 'workEmail', type: 'email', name: 'Work Email' },
  { id: 'homeEmail', type: 'email', name: 'Home Email' },
  { id: 'bestEmail', type: 'email', name: 'Email' },
  { id: 'jobTitle', type: 'list', name: 'Job Title' },
  { id: 'department', type: 'list', name: 'Department' },
  { id: 'division', type: 'list', name: 'Division' },
  { id: 'location', type: 'list', name: 'Location' },
  { id: 'status', type: 'status', name: 'Status' },
  { id: 'employmentHistoryStatus', type: 'list', name: 'Employment Status' },
  { id: 'hireDate', type: 'date', name: 'Hire Date' },
  { id: 'terminationDate', type: 'date', name: 'Termination Date' },
  { id: 'supervisorEId', type: 'int', name: 'Supervisor EID' },
  { id: 'supervisorId', type: 'text', name: 'Supervisor ID' },
  { id: 'supervisor', type: 'text', name: 'Supervisor name' },
  { id: 'supervisorEmail', type: 'email', name: 'Supervisor email' },
  { id: 'workPhone', type: 'text', name: 'Work Phone' },
  { id: 'mobilePhone', type: 'text', name: 'Mobile Phone' },
];

/** What the employee directory lists (when the company has it enabled): active employees only. */
export const DIRECTORY_FIELDS: readonly FieldInfo[] = [
  { id: 'displayName', type: 'text', name: 'Display name' },
  { id: 'firstName', type: 'text', name: 'First name' },
  { id: 'lastName', type: 'text', name: 'Last name' },
  { id: 'preferredName', type: 'text', name: 'Preferred name' },
  { id: 'jobTitle', type: 'list', name: 'Job title' },
  { id: 'workPhone', type: 'text', name: 'Work Phone' },
  { id: 'mobilePhone', type: 'text', name: 'Mobile Phone' },
  { id: 'workEmail', type: 'email', name: 'Work Email' },
  { id: 'department', type: 'list', name: 'Department' },
  { id: 'location', type: 'list', name: 'Location' },
  { id: 'division', type: 'list', name: 'Division' },
  { id: 'supervisor', type: 'text', name: 'Supervisor' },
  { id: 'photoUploaded', type: 'bool', name: 'Employee photo exists' },
];

/** A company-defined field: numeric id (what the API takes), an optional alias, a label. */
export interface CustomField {
  readonly id: string;
  readonly alias?: string;
  readonly name: string;
  readonly type?: string;
}

/** Reports accept at most this many fields (BambooHR's documented limit). */
export const MAX_REPORT_FIELDS = 400;
