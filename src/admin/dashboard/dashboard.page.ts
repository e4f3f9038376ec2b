import type { DashboardData } from './dashboard-data.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const table = (head: readonly string[], rows: readonly (readonly string[])[], empty: string) =>
  rows.length === 0
    ? `<p class="empty">${esc(empty)}</p>`
    : `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#fff;padding:16px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#94a3b8;font-size:13px}
main{padding:20px 28px;display:grid;gap:18px;grid-template-columns:repeat(2,minmax(0,1fr))}
.kpis{grid-column:1/-1;display:flex;gap:14px;flex-wrap:wrap}.kpi{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 16px;min-width:150px}
.kpi .v{font-size:22px;font-weight:600}.kpi .l{font-size:12px;color:#64748b}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:14px 16px}section h2{font-size:15px;margin:0 0 10px}
.chart{height:300px}.wide{grid-column:1/-1}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #f1f5f9}
td.status-over{color:#b91c1c;font-weight:600}td.status-near{color:#b45309;font-weight:600}.empty{color:#64748b;font-size:13px}
`;

/** Server-rendered numbers (readable without scripts) plus two ECharts charts drawn by /assets/dashboard.js. */
export function dashboardPage(d: DashboardData): string {
  const json = JSON.stringify(d).replace(/</g, '\\u003c');
  const teamRows = d.teams.map((t) => [t.label, t.costCenter ?? '', t.spent, t.budget, t.percent, t.status]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(d.title)} · Stipend</title><style>${STYLE}</style></head>
<body>
<header><h1>${esc(d.title)}</h1><p>Month to date in ${esc(d.timeZone)} · generated ${esc(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC · only priced and estimated requests count</p></header>
<main>
<div class="kpis">${d.kpis.map((k) => `<div class="kpi"><div class="v">${esc(k.value)}</div><div class="l">${esc(k.label)}</div></div>`).join('')}</div>
<section><h2>Spend vs budget per team</h2><div id="teams-chart" class="chart"></div></section>
<section><h2>Daily spend</h2><div id="trend-chart" class="chart"></div></section>
<section class="wide"><h2>Teams</h2>${table(['Team', 'Cost center', 'Spent', 'Budget', 'Used', 'Status'], teamRows, 'No teams yet.').replace(/<td>Over<\/td>/g, '<td class="status-over">Over</td>').replace(/<td>Near limit<\/td>/g, '<td class="status-near">Near limit</td>')}</section>
<section><h2>Top models</h2>${table(['Model', 'Spent', 'Requests'], d.topModels.map((m) => [m.label, m.spent, String(m.requests)]), 'No spend this month.')}</section>
<section><h2>Top people</h2>${table(['Person', 'Spent', 'Requests'], d.topPeople.map((m) => [m.label, m.spent, String(m.requests)]), 'No spend this month.')}</section>
<section class="wide"><h2>Recent alerts</h2>${table(['When (UTC)', 'Budget', 'Who', 'Threshold', 'Delivered'], d.alerts.map((a) => [a.at, a.budget, a.who, a.threshold, a.delivered]), 'No alerts.')}</section>
</main>
<script type="application/json" id="dashboard-data">${json}</script>
<script src="/assets/echarts.min.js"></script>
<script src="/assets/dashboard.js"></script>
</body></html>`;
}

/** The page's script (served as a file so the page's CSP needs no inline script). */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var d = JSON.parse(document.getElementById('dashboard-data').textContent);
  var money = function (v) { return '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: 0 }); };
  var teams = echarts.init(document.getElementById('teams-chart'));
  teams.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 64, right: 16, top: 16, bottom: 48 },
    xAxis: { type: 'category', data: d.teams.map(function (t) { return t.label; }) },
    yAxis: { type: 'value', axisLabel: { formatter: money } },
    series: [
      { name: 'Spent', type: 'bar', data: d.teams.map(function (t) { return t.spentUsd; }), itemStyle: { color: '#2563eb' } },
      { name: 'Budget', type: 'bar', data: d.teams.map(function (t) { return t.budgetUsd; }), itemStyle: { color: '#cbd5e1' } }
    ]
  });
  var trend = echarts.init(document.getElementById('trend-chart'));
  trend.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    grid: { left: 64, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: d.daily.map(function (p) { return p.date.slice(5); }) },
    yAxis: { type: 'value', axisLabel: { formatter: money } },
    series: [{ name: 'Spent', type: 'line', areaStyle: { opacity: 0.15 }, data: d.daily.map(function (p) { return p.usd; }), itemStyle: { color: '#2563eb' } }]
  });
  window.addEventListener('resize', function () { teams.resize(); trend.resize(); });
  document.body.dataset.chartsReady = 'true';
})();
`;
