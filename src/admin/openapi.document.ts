import { EXPORT_FORMATS } from '../reports/exports/exports.ts';
import { DIMENSIONS } from '../reports/spend-report.repository.ts';

const error = { $ref: '#/components/responses/Error' };
const csvOrJson = (description: string) => ({
  200: { description, content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } },
  400: error,
  401: error,
});
const q = (name: string, schema: object, description: string, required = false) => ({ name, in: 'query', required, description, schema });

/** OpenAPI 3.1 description of the admin API, served at /api/openapi.json. */
export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Stipend admin API',
    version: '1',
    description:
      'Spend reports, ERP exports, budgets with current usage, alerts and API keys. Money is exact in nano-dollars (*Nanos fields, decimal strings); USD amounts are rounded to cents for presentation, half away from zero, with line items allocated by largest remainder so they sum to the total.',
  },
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'A token from STIPEND_ADMIN_TOKENS (or STIPEND_ADMIN_READONLY_TOKENS: read-only).' },
      basic: { type: 'http', scheme: 'basic', description: 'Any user name; the token as password (for browsers on /dashboard).' },
      session: { type: 'apiKey', in: 'cookie', name: 'stipend_admin', description: 'Set by GET /login?token=…; POSTs made with it also need the x-stipend-csrf header from GET /api/session.' },
    },
    responses: {
      Error: {
        description: 'An error with a stable code',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { error: { type: 'object', properties: { code: { enum: ['unauthorized', 'forbidden', 'invalid_query', 'not_found', 'conflict', 'mapping_incomplete', 'internal_error'] }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
  paths: {
    '/api/reports/spend': {
      get: {
        summary: 'Spend by team, cost center, person, provider, model and day (zero-filled), with counts by pricing status',
        parameters: [
          q('from', { type: 'string', format: 'date' }, 'First local date (inclusive)', true),
          q('to', { type: 'string', format: 'date' }, 'Last local date (inclusive)', true),
          q('timeZone', { type: 'string', default: 'UTC' }, 'IANA zone; days start at its local midnight'),
          q('groupBy', { enum: [...DIMENSIONS], default: 'team' }, 'Dimension of the CSV'),
          q('format', { enum: ['json', 'csv'], default: 'json' }, 'Response format'),
        ],
        responses: csvOrJson('The report'),
      },
    },
    '/api/exports/{format}': {
      get: {
        summary: 'A month as an ERP journal (NetSuite, QuickBooks Online, Workday) or a FOCUS 1.2 cost and usage file',
        parameters: [
          { name: 'format', in: 'path', required: true, schema: { enum: [...EXPORT_FORMATS] } },
          q('month', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, 'e.g. 2026-03', true),
        ],
        responses: {
          200: {
            description: 'CSV. A closed month returns its stored file byte for byte. Headers: x-stipend-total-nanos (exact total), x-stipend-sha256, x-stipend-period (closed|open)',
            content: { 'text/csv': { schema: { type: 'string' } } },
          },
          400: error,
          401: error,
          422: { ...error, description: 'mapping_incomplete: the GL mapping is missing or does not cover the month (the message lists what is missing)' },
        },
      },
    },
    '/api/periods': { get: { summary: 'Closed months (ledger cut, stored files with SHA-256) and when the next month may close', responses: { 200: { description: 'Periods' }, 401: error } } },
    '/api/periods/{month}': { get: { summary: 'One closed month', parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Close' }, 401: error, 404: error } } },
    '/api/periods/{month}/files/{name}': {
      get: {
        summary: "A closed month's stored file (netsuite.csv, quickbooks.csv, workday.csv, focus.csv, summary.json, spend.json), byte for byte",
        parameters: [
          { name: 'month', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { 200: { description: 'The file; header x-stipend-sha256' }, 401: error, 404: error },
      },
    },
    '/api/periods/{month}/close': {
      post: {
        summary: 'Close a month (admin token): after its end plus the grace, in order; stores its journals, FOCUS file and summary',
        parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 201: { description: 'Closed now' }, 200: { description: 'Already closed' }, 401: error, 403: error, 409: error, 422: error },
      },
    },
    '/api/budgets': { get: { summary: 'Active budgets with their current period window and usage', parameters: [q('format', { enum: ['json', 'csv'] }, 'Response format')], responses: csvOrJson('Budgets') } },
    '/api/alerts': {
      get: {
        summary: 'Recent budget alerts (kind threshold or overage) with their deliveries',
        parameters: [q('limit', { type: 'integer', maximum: 1000, default: 100 }, 'How many'), q('since', { type: 'string', format: 'date-time' }, 'Only alerts created since')],
        responses: { 200: { description: 'Alerts' }, 400: error, 401: error },
      },
    },
    '/api/alerts/deliveries': {
      get: {
        summary: 'Alert deliveries (email and webhook), newest first',
        parameters: [q('limit', { type: 'integer', default: 100 }, 'How many'), q('status', { enum: ['pending', 'sending', 'sent', 'failed', 'skipped'] }, 'Filter')],
        responses: { 200: { description: 'Deliveries' }, 400: error, 401: error },
      },
    },
    '/api/keys': { get: { summary: 'API keys without secrets (id, owner, prefix, dates)', responses: { 200: { description: 'Keys' }, 401: error } } },
    '/api/keys/{id}/revoke': {
      post: {
        summary: 'Revoke a key (admin token required); every gateway replica drops it within a second',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: '{ revoked: n }' }, 401: error, 403: error, 404: error },
      },
    },
    '/api/people/{email}/revoke-access': {
      post: {
        summary: "One-click revoke (admin): every key of the person, on every gateway replica within a second, audited; body { suspend?: boolean } also blocks new keys until restored",
        parameters: [{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: '{ revoked: n, suspended }' }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/api/people/{email}/restore-access': {
      post: { summary: 'Lift a suspension (admin), audited', parameters: [{ name: 'email', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: '{ restored: true }' }, 401: error, 403: error, 404: error } },
    },
    '/api/audit': {
      get: {
        summary: 'The write-once audit log, newest first: who, when, what, from where',
        parameters: [q('limit', { type: 'integer', default: 100 }, 'How many (1-1000)'), q('target', { type: 'string' }, 'e.g. person:ada@acme.example, service:acme/support/helpdesk-bot'), q('before', { type: 'string' }, 'Entries with a smaller id (paging)')],
        responses: { 200: { description: '{ entries }' }, 400: error, 401: error },
      },
    },
    '/api/service-accounts': { get: { summary: 'Service accounts declared in Team YAML, with their active key counts', responses: { 200: { description: '{ serviceAccounts }' }, 401: error } } },
    '/api/service-accounts/{namespace}/{team}/{name}/keys': {
      post: {
        summary: 'Create a key for a service account (admin); the key is in this response only',
        parameters: ['namespace', 'team', 'name'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } })),
        responses: { 201: { description: '{ id, key, serviceAccount }' }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/api/service-accounts/{namespace}/{team}/{name}/revoke': {
      post: {
        summary: 'Revoke every key of a service account (admin), audited',
        parameters: ['namespace', 'team', 'name'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } })),
        responses: { 200: { description: '{ revoked: n }' }, 401: error, 403: error },
      },
    },
    '/api/monthly-reports': { get: { summary: 'Stored monthly reports and their delivery state', responses: { 200: { description: 'Reports' }, 401: error } } },
    '/api/monthly-reports/{month}': { get: { summary: 'One stored monthly summary', parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'Summary' }, 401: error, 404: error } } },
    '/login': {
      get: {
        summary: 'Login link: checks the token, sets an HttpOnly session cookie and redirects to /dashboard',
        security: [],
        parameters: [q('token', { type: 'string' }, 'An admin or read-only token', true)],
        responses: { 303: { description: 'Redirect to /dashboard with Set-Cookie' }, 401: error },
      },
    },
    '/logout': { post: { summary: 'Clears the session cookie', responses: { 200: { description: '{ loggedOut: true }' }, 401: error, 403: error } } },
    '/api/session': { get: { summary: 'Who is logged in, and the x-stipend-csrf value for POSTs made with the session cookie', security: [{ session: [] }, { bearer: [] }], responses: { 200: { description: '{ access, csrfToken }' }, 401: error } } },
    '/dashboard': { get: { summary: 'This month: spend vs budget per team, daily trend, top models and people, recent alerts (HTML)', security: [{ session: [] }, { basic: [] }, { bearer: [] }], responses: { 200: { description: 'HTML' }, 401: error } } },
  },
} as const;
