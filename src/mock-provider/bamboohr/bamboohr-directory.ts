// GET /api/gateway.php/{companyDomain}/v1/employees/directory: the company directory, active
// employees only, as {fields, employees} in JSON (Accept: application/json) or XML otherwise.
// A company that turned its directory off gets 403.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { employeesById, type Company } from './bamboohr-company.ts';
import { standardValues } from './bamboohr-employees.ts';
import { DIRECTORY_FIELDS } from './bamboohr-fields.ts';
import { sendError, sendJson, sendXml, xmlEscape } from './bamboohr-http.ts';

export function serveDirectory(res: ServerResponse, headers: IncomingHttpHeaders, company: Company): void {
  if (!company.directoryEnabled) {
    sendError(res, 403, 'The employee directory is disabled for this company');
    return;
  }
  const byId = employeesById(company);
  const employees = company.employees
    .filter((e) => (e.status ?? 'Active') === 'Active')
    .map((e) => {
      const values = standardValues(e, byId);
      const row: Record<string, string | boolean | null> = { id: values.id! };
      for (const f of DIRECTORY_FIELDS) row[f.id] = f.id === 'photoUploaded' ? false : (values[f.id] ?? null);
      return row;
    });
  if ((headers.accept ?? '').includes('application/json')) {
    sendJson(res, { fields: DIRECTORY_FIELDS, employees });
    return;
  }
  const fieldset = DIRECTORY_FIELDS.map((f) => `    <field id="${f.id}">${xmlEscape(f.name)}</field>`).join('\n');
  const rows = employees
    .map((row) => {
      const cells = DIRECTORY_FIELDS.map((f) => `      <field id="${f.id}">${xmlEscape(String(row[f.id] ?? ''))}</field>`).join('\n');
      return `    <employee id="${row.id}">\n${cells}\n    </employee>`;
    })
    .join('\n');
  sendXml(res, `<directory>\n  <fieldset>\n${fieldset}\n  </fieldset>\n  <employees>\n${rows}\n  </employees>\n</directory>`);
}
