// The colour of each chart series: a series whose group is one severity or
// span status name (grouped by SeverityText or StatusCode) takes that level's
// colour from components/severity.ts, as in the search histogram; the others
// take palette colours in legend order, skipping hues too close to a level
// colour already used in the chart.
import { knownLevelColor } from '../severity';
import { PALETTE } from './palette';

export interface ColoredSeries {
  key: string;
  group?: unknown[]; // the group-by values of the series ([] or absent: not grouped)
}

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function close(a: string, b: string): boolean {
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(x[0] - y[0], x[1] - y[1], x[2] - y[2]) < 48;
}

function levelOf(s: ColoredSeries): string | null {
  const g = s.group;
  return g && g.length === 1 && typeof g[0] === 'string' ? knownLevelColor(g[0]) : null;
}

export function seriesColors(series: ColoredSeries[]): Map<string, string> {
  const out = new Map<string, string>();
  const used: string[] = [];
  // A level colour marks one series only (with several aggregates grouped
  // by severity, the second ERROR line takes a palette colour).
  for (const s of series) {
    const c = levelOf(s);
    if (c && !used.includes(c)) {
      out.set(s.key, c);
      used.push(c);
    }
  }
  const free = PALETTE.filter((p) => !used.some((u) => close(p, u)));
  const palette = free.length ? free : PALETTE;
  let i = 0;
  for (const s of series) {
    if (!out.has(s.key)) out.set(s.key, palette[i++ % palette.length]);
  }
  return out;
}
