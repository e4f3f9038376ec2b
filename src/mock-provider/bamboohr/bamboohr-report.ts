// POST /api/gateway.php/{companyDomain}/v1/reports/custom?format=JSON: an ad-hoc report of
// the fields asked for, over every employee, Active and Inactive. As BambooHR documents it:
// - the body is JSON only with Content-Type exactly `application/json`; anything else is
//   read as XML, so a JSON body sent with `; charset=UTF-8` is 400 "Malformed XML";
// - `format` is case-insensitive; without it the Accept header picks the format, and only
//   its exact documented values are accepted (others: 404);
// - fields that are unknown (or that the key's user may not see) are left out, 200 still;
// - at most 400 fields; `filters.employeeIds` limits the employees.
// JSON and XML are answered; CSV, PDF and XLS are not (the stand-in says so with 406).
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { employeesById, resolveField, type Company, type ResolvedField } from './bamboohr-company.ts';
import { standardValues } from './bamboohr-employees.ts';
import { MAX_REPORT_FIELDS } from './bamboohr-fields.ts';
import { sendError, sendJson, sendXml, xmlEscape } from './bamboohr-http.ts';

const ACCEPT_FORMATS: Readonly<Record<string, string>> = {
  'application/json': 'json',
  'text/xml': 'xml',
  'text/csv': 'csv',
  'application/pdf': 'pdf',
  'application/vnd.ms-excel': 'xls',
};
const FORMATS = new Set(['json', 'xml', 'csv', 'pdf', 'xls']);

interface ReportRequest {
  readonly title: string;
  readonly fields: readonly string[];
  readonly employeeIds?: readonly number[];
}

function formatOf(query: URLSearchParams, headers: IncomingHttpHeaders): string | undefined {
  const asked = query.get('format');
  if (asked !== null) return FORMATS.has(asked.toLowerCase()) ? asked.toLowerCase() : undefined;
  return ACCEPT_FORMATS[(headers.accept ?? '').trim()];
}

function parseRequest(body: string): ReportRequest | string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return 'Malformed JSON';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'Malformed JSON';
  const r = json as { title?: unknown; fields?: unknown; filters?: { employeeIds?: unknown } };
  if (!Array.isArray(r.fields) || r.fields.length === 0 || !r.fields.every((f) => typeof f === 'string' || typeof f === 'number')) return 'No fields were requested';
  if (r.fields.length > MAX_REPORT_FIELDS) return `Too many fields requested (maximum ${MAX_REPORT_FIELDS})`;
  const ids = r.filters?.employeeIds;
  if (ids !== undefined && (!Array.isArray(ids) || !ids.every((i) => Number.isInteger(Number(i))))) return 'Invalid employeeIds filter';
  return {
    title: typeof r.title === 'string' ? r.title : 'Report',
    fields: r.fields.map(String),
    ...(ids !== undefined ? { employeeIds: (ids as unknown[]).map(Number) } : {}),
  };
}

export function serveReport(res: ServerResponse, query: URLSearchParams, headers: IncomingHttpHeaders, body: string, company: Company): void {
  const format = formatOf(query, headers);
  if (format === undefined) {
    sendError(res, 404, 'Unsupported report format');
    return;
  }
  // Exactly this value means JSON; any other (a charset parameter included) means XML.
  if ((headers['content-type'] ?? '') !== 'application/json') {
    sendError(res, 400, 'Malformed XML');
    return;
  }
  const request = parseRequest(body);
  if (typeof request === 'string') {
    sendError(res, 400, request);
    return;
  }
  if (format !== 'json' && format !== 'xml') {
    sendError(res, 406, `The stand-in answers JSON and XML reports only (asked: ${format})`);
    return;
  }
  const seen = new Set<string>();
  const fields: ResolvedField[] = [];
  for (const name of request.fields) {
    if (seen.has(name)) continue;
    seen.add(name);
    const field = resolveField(company, name);
    if (field) fields.push(field);
  }
  const byId = employeesById(company);
  const wanted = request.employeeIds ? new Set(request.employeeIds) : undefined;
  const rows = company.employees
    .filter((e) => wanted === undefined || wanted.has(e.id))
    .map((e) => {
      const values = standardValues(e, byId);
      const row: Record<string, string | null> = { id: String(e.id) };
      for (const f of fields) {
        const v = f.value(e, values);
        // A date never set comes back as BambooHR's zero date.
        row[f.requested] = v === null && f.info.type === 'date' ? '0000-00-00' : v;
      }
      return row;
    });
  if (format === 'json') {
    sendJson(res, { title: request.title, fields: fields.map((f) => f.info), employees: rows });
    return;
  }
  const fieldXml = fields.map((f) => `    <field id="${xmlEscape(f.requested)}" type="${f.info.type}">${xmlEscape(f.info.name)}</field>`).join('\n');
  const rowXml = rows
    .map((row) => {
      const cells = fields.map((f) => `      <field id="${xmlEscape(f.requested)}">${xmlEscape(row[f.requested] ?? '')}</field>`).join('\n');
      return `    <employee id="${row.id}">\n${cells}\n    </employee>`;
    })
    .join('\n');
  sendXml(res, `<report>\n  <title>${xmlEscape(request.title)}</title>\n  <fields>\n${fieldXml}\n  </fields>\n  <employees>\n${rowXml}\n  </employees>\n</report>`);
}
