// The email's chart: the same Apache ECharts the dashboard uses, rendered server-side to SVG
// (ECharts' zero-dependency SSR mode), then to PNG by resvg compiled to WebAssembly — no
// native code, no browser. Mail clients show PNG, not SVG. Text needs a TrueType font: the
// first of FONT_FILES that exists (Debian: fonts-dejavu-core); without one, the bars still render.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import * as echarts from 'echarts';

const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];

let ready: Promise<Uint8Array[]> | undefined;

function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    const font = FONT_FILES.find((f) => existsSync(f));
    return font ? [new Uint8Array(readFileSync(font))] : [];
  })();
  return ready;
}

export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[]; // dollars, for drawing only
  readonly color: string;
}

/** A grouped bar chart as SVG text (also what the tests inspect). */
export function barChartSvg(title: string, labels: readonly string[], series: readonly BarSeries[], width = 720, height = 360): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, sans-serif' },
    title: { text: title, left: 'center', textStyle: { fontSize: 15 } },
    legend: { bottom: 0 },
    grid: { left: 70, right: 20, top: 45, bottom: 50 },
    xAxis: { type: 'category', data: [...labels] },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `$${v.toLocaleString('en-US')}` } },
    series: series.map((s) => ({ name: s.label, type: 'bar', data: [...s.values], itemStyle: { color: s.color } })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export async function barChartPng(title: string, labels: readonly string[], series: readonly BarSeries[]): Promise<Buffer> {
  const fonts = await init();
  const resvg = new Resvg(barChartSvg(title, labels, series), {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 }, // crisp on high-density screens
    font: { fontBuffers: fonts, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  const png = Buffer.from(image.asPng());
  image.free();
  resvg.free();
  return png;
}
