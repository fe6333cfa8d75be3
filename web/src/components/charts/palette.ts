// Series and service colours: a fixed palette readable on the dark theme.
// colorForName hashes the name, so a service keeps its colour across traces
// and pages; colorForIndex is for chart series in legend order.

// Ten clearly different hues; reds are left out (red marks errors).
export const PALETTE = [
  '#4c9aff', '#3ecf8e', '#f5a623', '#b37feb', '#36cfc9',
  '#fadb14', '#f759ab', '#a0d911', '#7b83eb', '#8fa3bf',
];

// FNV-1a: small, stable, good enough spread for colour picking.
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function colorForName(name: string): string {
  return PALETTE[hashName(name) % PALETTE.length];
}

export function colorForIndex(index: number): string {
  return PALETTE[index % PALETTE.length];
}

// Colours for a set of names (a trace's services): each starts at its hashed
// colour and moves to the next free one on a clash, so names in the same set
// differ while keeping mostly the same colour everywhere.
export function colorsForNames(names: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<number>();
  for (const name of [...new Set(names)].sort()) {
    let i = hashName(name) % PALETTE.length;
    if (used.size < PALETTE.length) while (used.has(i)) i = (i + 1) % PALETTE.length;
    used.add(i);
    out.set(name, PALETTE[i]);
  }
  return out;
}
