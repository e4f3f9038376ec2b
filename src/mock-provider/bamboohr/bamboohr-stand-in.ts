// A faithful local stand-in for BambooHR's API (https://api.bamboohr.com/api/gateway.php/
// {companyDomain}/v1/…), written from its public reference: the employee directory and
// custom reports, HTTP Basic with the API key as the user name, errors as a status plus
// X-BambooHR-Error-Message, and fault injection (401, 429/503 with Retry-After, 5xx, slow,
// malformed bodies) for the tests and the benchmark. `handle` mounts it in any node:http
// server; `startBambooHrStandIn` serves it alone on loopback.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiKeyOf, isKnownKey } from './bamboohr-auth.ts';
import type { Company } from './bamboohr-company.ts';
import { serveDirectory } from './bamboohr-directory.ts';
import type { StandInEmployee } from './bamboohr-employees.ts';
import { faultQueue, malformedBody, type Fault } from './bamboohr-faults.ts';
import type { CustomField } from './bamboohr-fields.ts';
import { sendBody, sendError } from './bamboohr-http.ts';
import { serveReport } from './bamboohr-report.ts';

export const TEST_BAMBOOHR_API_KEY = 'bamboohr-test-key-0123456789abcdef0123456789abcdef';

export interface BambooHrOptions {
  readonly companyDomain?: string;
  readonly apiKeys?: readonly string[];
  readonly employees?: readonly StandInEmployee[];
  readonly customFields?: readonly CustomField[];
  readonly directoryEnabled?: boolean;
}

export interface BambooHrCall {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface BambooHr {
  readonly companyDomain: string;
  readonly calls: readonly BambooHrCall[];
  employees(): readonly StandInEmployee[];
  setEmployees(employees: readonly StandInEmployee[]): void;
  /** Replaces fields of one employee (by id). */
  update(id: number, patch: Partial<Omit<StandInEmployee, 'id'>>): void;
  remove(id: number): void;
  setDirectoryEnabled(enabled: boolean): void;
  inject(fault: Fault, times?: number): void;
  pendingFaults(): number;
  reset(): void;
  /** Answers the request when its path is BambooHR's API; false when it is not (leave it to the host server). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const ROUTE = /^\/api\/gateway\.php\/([^/]+)\/v1\/(employees\/directory|reports\/custom)\/?$/;
const BODY_LIMIT = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createBambooHr(options: BambooHrOptions = {}): BambooHr {
  const companyDomain = options.companyDomain ?? 'acme';
  const apiKeys = options.apiKeys ?? [TEST_BAMBOOHR_API_KEY];
  const customFields = options.customFields ?? [];
  let employees: StandInEmployee[] = [...(options.employees ?? [])];
  let directoryEnabled = options.directoryEnabled ?? true;
  const faults = faultQueue();
  const calls: BambooHrCall[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const company = (): Company => ({ domain: companyDomain, employees, customFields, directoryEnabled });

  const applyFault = async (fault: Fault, res: ServerResponse): Promise<boolean> => {
    switch (fault.kind) {
      case 'status':
        sendError(res, fault.status, fault.message ?? defaultMessage(fault.status), fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter });
        return true;
      case 'slow':
        // Then answers normally, if the client is still there.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, fault.delayMs);
          timers.add(timer);
          res.once('close', () => {
            clearTimeout(timer);
            timers.delete(timer);
            resolve();
          });
        });
        return res.destroyed;
      case 'malformed': {
        const m = malformedBody(fault.body);
        sendBody(res, 200, m.contentType, m.body);
        return true;
      }
    }
  };

  return {
    companyDomain,
    calls,
    employees: () => employees,
    setEmployees(next) {
      employees = [...next];
    },
    update(id, patch) {
      const at = employees.findIndex((e) => e.id === id);
      if (at < 0) throw new Error(`no employee ${id}`);
      employees[at] = { ...employees[at]!, ...patch };
    },
    remove(id) {
      employees = employees.filter((e) => e.id !== id);
    },
    setDirectoryEnabled(enabled) {
      directoryEnabled = enabled;
    },
    inject: (fault, times) => faults.inject(fault, times),
    pendingFaults: () => faults.pending(),
    reset() {
      faults.clear();
      calls.length = 0;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://bamboohr.invalid');
      const route = ROUTE.exec(url.pathname);
      if (!url.pathname.startsWith('/api/gateway.php/')) return false;
      const body = req.method === 'POST' ? await readBody(req).catch(() => null) : '';
      res.once('finish', () =>
        calls.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, status: res.statusCode, contentType: req.headers['content-type'], body: body ?? '' }),
      );
      if (body === null) {
        sendError(res, 413, 'Request body too large');
        return true;
      }
      if (!route || decodeURIComponent(route[1]!) !== companyDomain) {
        sendError(res, 404, 'Not found');
        return true;
      }
      if (!isKnownKey(apiKeyOf(req.headers), apiKeys)) {
        sendError(res, 401, 'Invalid API key', { 'www-authenticate': 'Basic realm="BambooHR API"' });
        return true;
      }
      const fault = faults.next();
      if (fault && (await applyFault(fault, res))) return true;
      const endpoint = route[2]!;
      const method = endpoint === 'employees/directory' ? 'GET' : 'POST';
      if (req.method !== method) {
        sendError(res, 405, 'Method not allowed', { allow: method });
        return true;
      }
      if (endpoint === 'employees/directory') serveDirectory(res, req.headers, company());
      else serveReport(res, url.searchParams, req.headers, body, company());
      return true;
    },
  };
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Invalid API key';
  if (status === 403) return 'You do not have access to this resource';
  if (status === 429 || status === 503) return 'Too many requests; retry later';
  return 'An internal error occurred';
}

export interface BambooHrServer extends BambooHr {
  /** The base URL to give the client in place of https://api.bamboohr.com. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startBambooHrStandIn(options: BambooHrOptions & { readonly host?: string; readonly port?: number } = {}): Promise<BambooHrServer> {
  const api = createBambooHr(options);
  const server = createServer((req, res) => {
    void api.handle(req, res).then((handled) => {
      if (!handled) sendError(res, 404, 'Not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...api,
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    async close() {
      api.reset();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
