// Stacking for stacked bars: each series' top is the sum of itself and the
// series before it (missing values count as 0). uPlot draws series in order,
// so the chart draws the tallest stack first and the smaller ones over it.
export function stackValues(series: (number | null)[][]): number[][] {
  const out: number[][] = [];
  let running: number[] | null = null;
  for (const values of series) {
    const next: number[] = values.map((v, i) => (running ? running[i] : 0) + (v ?? 0));
    out.push(next);
    running = next;
  }
  return out;
}

// The largest stacked total (the y range needs it).
export function stackMax(stacked: number[][]): number {
  const top = stacked[stacked.length - 1];
  return top ? Math.max(0, ...top) : 0;
}
