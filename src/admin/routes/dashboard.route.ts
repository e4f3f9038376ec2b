import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../db/database.ts';
import { dashboardData } from '../dashboard/dashboard-data.ts';
import { DASHBOARD_SCRIPT, dashboardPage } from '../dashboard/dashboard.page.ts';

const CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

export interface DashboardRoutesOptions {
  readonly db: Db;
  readonly now: () => Date;
  readonly timeZone: string;
}

export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = async (app, { db, now, timeZone }) => {
  // ECharts from node_modules, read once: no CDN, works in an air-gapped cluster.
  const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));

  app.get('/', async (_request, reply) => reply.redirect('/dashboard'));
  app.get('/dashboard', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-store').send(dashboardPage(await dashboardData(db, now(), timeZone))),
  );
  app.get('/dashboard/data.json', async () => dashboardData(db, now(), timeZone));
  app.get('/assets/echarts.min.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(echarts),
  );
  app.get('/assets/dashboard.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(DASHBOARD_SCRIPT));
};
