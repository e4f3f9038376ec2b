import { EXPORT_FORMATS } from '../../reports/exports/exports.ts';
import type { DashboardData } from './dashboard-data.ts';
import { cellText, type DashboardTable } from './dashboard-table.ts';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const EXPORT_NAMES: Readonly<Record<string, string>> = { netsuite: 'NetSuite journal', quickbooks: 'QuickBooks journal', workday: 'Workday journal', focus: 'FOCUS billing data' };

function downloads(d: DashboardData, id: string): string {
  const q = `?month=${d.month}`;
  return `<span class="dl"><a href="/dashboard/tables/${id}.csv${q}" download>CSV</a><a href="/dashboard/tables/${id}.xlsx${q}" download>XLSX</a></span>`;
}

function tableHtml(d: DashboardData, t: DashboardTable): string {
  const head = `<h2>${esc(t.title)}</h2>${downloads(d, t.id)}`;
  if (t.rows.length === 0) return `<section id="${t.id}">${head}<p class="empty">${esc(t.empty)}</p></section>`;
  const shown = t.pageRows === undefined ? t.rows : t.rows.slice(0, t.pageRows);
  if (shown.length === 0) return '';
  const cell = (c: DashboardTable['columns'][number], r: DashboardTable['rows'][number]) => {
    const text = esc(cellText(c, r[c.key]));
    if (c.kind === 'percent' && typeof r[c.key] === 'number') {
      const p = r[c.key] as number;
      const cls = p > 100 ? 'over' : p >= 90 ? 'near' : '';
      return `<td class="pct"><span class="bar ${cls}"><span style="width:${Math.min(100, Math.max(0, p)).toFixed(1)}%"></span></span>${text}</td>`;
    }
    if (c.key === 'status') return `<td class="${text === 'Over' ? 'status-over' : text === 'Near limit' ? 'status-near' : ''}">${text}</td>`;
    return `<td${c.kind === 'money' || c.kind === 'int' ? ' class="num"' : ''}>${text}</td>`;
  };
  const more = shown.length < t.rows.length ? `<p class="empty">${shown.length} of ${t.rows.length} shown; the downloads have them all.</p>` : '';
  return `<section id="${t.id}" class="wide">${head}<div class="scroll"><table><thead><tr>${t.columns
    .map((c) => `<th${c.kind === 'money' || c.kind === 'int' ? ' class="num"' : ''}>${esc(c.label)}</th>`)
    .join('')}</tr></thead><tbody>${shown.map((r) => `<tr>${t.columns.map((c) => cell(c, r)).join('')}</tr>`).join('')}</tbody></table></div>${more}</section>`;
}

const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#f8fafc;color:#0f172a}
header{background:#0f172a;color:#fff;padding:14px 24px;display:flex;flex-wrap:wrap;gap:10px 24px;align-items:center;justify-content:space-between}
header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#94a3b8;font-size:13px}
form.month{display:flex;gap:6px;align-items:center}form.month select,form.month button{font:inherit;font-size:14px;padding:4px 6px;border-radius:6px;border:1px solid #475569}
.badge{display:inline-block;font-size:11px;padding:2px 6px;border-radius:9px;background:#334155;color:#e2e8f0;margin-left:6px;vertical-align:middle}.badge.closed{background:#166534}
main{padding:18px 24px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr))}
.kpis{grid-column:1/-1;display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr))}.kpi{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 14px;min-width:0}
.kpi .v{font-size:21px;font-weight:600;overflow-wrap:anywhere}.kpi .l{font-size:12px;color:#64748b}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px 14px;min-width:0}section h2{font-size:15px;margin:0 0 8px;display:inline-block}
.dl{float:right;font-size:12px}.dl a{margin-left:8px;color:#2563eb}
.chart{height:300px;width:100%}.wide{grid-column:1/-1}.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #f1f5f9;vertical-align:top}
th.num,td.num{text-align:right;white-space:nowrap}td.pct{white-space:nowrap}
.bar{display:inline-block;width:60px;height:8px;background:#e2e8f0;border-radius:4px;margin-right:6px;vertical-align:middle;overflow:hidden}
.bar span{display:block;height:100%;background:#2563eb}.bar.near span{background:#d97706}.bar.over span{background:#dc2626}
td.status-over{color:#b91c1c;font-weight:600}td.status-near{color:#b45309;font-weight:600}.empty{color:#64748b;font-size:13px;clear:both}
ul.exports{list-style:none;padding:0;margin:0;font-size:13px}ul.exports li{padding:4px 0;border-bottom:1px solid #f1f5f9}ul.exports a{margin-left:8px;color:#2563eb}
@media (max-width:520px){header{padding:12px 14px}main{padding:12px;gap:12px}.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}.kpi .v{font-size:17px}
table{font-size:12px}th,td{padding:4px 5px}.bar{width:36px}.chart{height:260px}}
`;

/** Server-rendered numbers (readable without scripts) plus ECharts charts drawn by /assets/dashboard.js. */
export function dashboardPage(d: DashboardData): string {
  const chart = JSON.stringify({ month: d.month, inProgress: d.inProgress, ...d.chart }).replace(/</g, '\\u003c');
  const state = d.closed ? '<span class="badge closed">Closed</span>' : d.inProgress ? '<span class="badge">In progress</span>' : '<span class="badge">Not closed</span>';
  const picker = `<form class="month" method="get" action="/dashboard"><label for="month" class="l">Month</label><select id="month" name="month">${d.months
    .map((m) => `<option value="${m.month}"${m.month === d.month ? ' selected' : ''}>${esc(m.label)}${m.closed ? ' ✓ closed' : m.month === d.current ? ' (in progress)' : ''}</option>`)
    .join('')}</select><noscript><button type="submit">Show</button></noscript></form>`;
  const byId = new Map(d.tables.map((t) => [t.id, t]));
  const q = `?month=${d.month}`;
  const exportsList = `<section id="exports"><h2>Exports for ${esc(d.month)}</h2><span class="dl"><a href="/dashboard/tables.xlsx${q}" download>All tables (XLSX)</a></span><ul class="exports">${EXPORT_FORMATS.map(
    (f) => `<li>${esc(EXPORT_NAMES[f] ?? f)}<span class="dl"><a href="/api/exports/${f}${q}" download>CSV</a><a href="/dashboard/exports/${f}.xlsx${q}" download>XLSX</a></span></li>`,
  ).join('')}</ul></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<link rel="icon" href="data:,"><title>${esc(d.title)} · Stipend</title><style>${STYLE}</style></head>
<body>
<header><div><h1>${esc(d.title)}${state}</h1><p>${d.inProgress ? 'Month to date' : 'Whole month'} in ${esc(d.timeZone)} · generated ${esc(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC · priced and estimated requests count · budgets as in force that month · <a href="/dashboard/access" style="color:#bfdbfe">Access &amp; keys</a></p></div>${picker}</header>
<main>
<div class="kpis">${d.kpis.map((k) => `<div class="kpi"><div class="v">${esc(k.value)}</div><div class="l">${esc(k.label)}</div></div>`).join('')}</div>
<section><h2>Budget used per team</h2><div id="teams-chart" class="chart"></div></section>
<section><h2>Spend this month${d.chart.projected ? ` · forecast ${esc(d.chart.projected)}` : ''}</h2><div id="trend-chart" class="chart"></div></section>
${tableHtml(d, byId.get('teams')!)}
${tableHtml(d, byId.get('budgets')!)}
${tableHtml(d, byId.get('people')!)}
${tableHtml(d, byId.get('models')!)}
${exportsList}
${tableHtml(d, byId.get('alerts')!)}
<section id="daily" class="wide"><h2>Daily spend</h2>${downloads(d, 'daily')}<p class="empty">Day by day with the month-to-date total: in the downloads and the chart above.</p></section>
</main>
<script type="application/json" id="dashboard-data">${chart}</script>
<script src="/assets/echarts.min.js"></script>
<script src="/assets/dashboard.js"></script>
</body></html>`;
}

/** The page's script (served as a file so the page's CSP needs no inline script). */
export const DASHBOARD_SCRIPT = `'use strict';
(function () {
  var picker = document.getElementById('month');
  if (picker) picker.addEventListener('change', function () { picker.form.submit(); });
  var d = JSON.parse(document.getElementById('dashboard-data').textContent);
  var money = function (v) { return '$' + Number(v).toLocaleString('en-US', { maximumFractionDigits: 0 }); };
  var narrow = window.innerWidth < 520;
  // SVG renderer: crisp at any zoom, and the drawing is in the DOM.
  var teamsEl = document.getElementById('teams-chart');
  teamsEl.style.height = Math.max(160, 48 + d.teams.length * 34) + 'px';
  var teams = echarts.init(teamsEl, null, { renderer: 'svg' });
  var maxPct = d.teams.reduce(function (m, t) { return Math.max(m, t.percent); }, 100);
  teams.setOption({
    animation: false,
    tooltip: { trigger: 'item', formatter: function (p) { var t = d.teams[p.dataIndex]; return t.label + ': ' + t.spent + ' of ' + t.cap + ' (' + t.percent.toFixed(1) + '%)'; } },
    grid: { left: 8, right: 48, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', max: Math.ceil(maxPct / 10) * 10, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', inverse: true, data: d.teams.map(function (t) { return t.label; }), axisLabel: { width: narrow ? 80 : 140, overflow: 'truncate' } },
    series: [{
      name: 'Budget used', type: 'bar', barMaxWidth: 22,
      data: d.teams.map(function (t) { return { value: t.percent, itemStyle: { color: t.percent > 100 ? '#dc2626' : t.percent >= 90 ? '#d97706' : '#2563eb' } }; }),
      label: { show: true, position: 'right', formatter: function (p) { return p.value.toFixed(1) + '%'; } },
      markLine: { symbol: 'none', silent: true, label: { show: false }, lineStyle: { color: '#64748b', type: 'solid' }, data: [{ xAxis: 100 }] }
    }]
  });
  var series = [{ name: 'Month to date', type: 'line', showSymbol: false, connectNulls: false, areaStyle: { opacity: 0.12 }, data: d.cumulative, itemStyle: { color: '#2563eb' } }];
  var drawnForecast = d.forecast.some(function (v) { return v !== null; });
  if (drawnForecast) series.push({ name: 'Forecast', type: 'line', showSymbol: false, data: d.forecast, lineStyle: { type: 'dashed', width: 2 }, itemStyle: { color: '#9333ea' } });
  var top = Math.max.apply(null, d.cumulative.concat(d.forecast).map(function (v) { return v || 0; }));
  if (d.budget !== null && d.budget <= top * 4) series[0].markLine = { symbol: 'none', silent: true, label: { formatter: 'Budget ' + money(d.budget), position: 'insideEndTop' }, lineStyle: { color: '#dc2626' }, data: [{ yAxis: d.budget }] };
  var trend = echarts.init(document.getElementById('trend-chart'), null, { renderer: 'svg' });
  trend.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 24, bottom: 36, containLabel: true },
    xAxis: { type: 'category', data: d.days.map(function (day) { return day.slice(5); }) },
    yAxis: { type: 'value', axisLabel: { formatter: money } },
    series: series
  });
  window.addEventListener('resize', function () { teams.resize(); trend.resize(); });
  if (drawnForecast) document.body.dataset.forecastDrawn = 'true';
  document.body.dataset.chartsReady = 'true';
})();
`;
