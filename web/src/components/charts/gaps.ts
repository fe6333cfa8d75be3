// Whether a line series has values with no neighbour (gaps on both sides):
// a line draws nothing for them, so the chart shows them as points.
export function hasIsolatedValues(values: (number | null)[]): boolean {
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null) continue;
    const before = i > 0 ? values[i - 1] : null;
    const after = i < values.length - 1 ? values[i + 1] : null;
    if (before === null && after === null) return true;
  }
  return false;
}
