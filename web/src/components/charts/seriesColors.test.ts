import { describe, expect, it } from 'vitest';
import { LEVEL_COLORS } from '../severity';
import { PALETTE } from './palette';
import { seriesColors } from './seriesColors';

describe('seriesColors', () => {
  it('gives severity groups their level colours', () => {
    const colors = seriesColors(['DEBUG', 'ERROR', 'INFO', 'WARN'].map((v) => ({ key: v, group: [v] })));
    expect(colors.get('ERROR')).toBe(LEVEL_COLORS.error);
    expect(colors.get('WARN')).toBe(LEVEL_COLORS.warn);
    expect(colors.get('INFO')).toBe(LEVEL_COLORS.info);
    expect(colors.get('DEBUG')).toBe(LEVEL_COLORS.debug);
  });
  it('gives span status groups their colours', () => {
    const colors = seriesColors(['Ok', 'Error', 'Unset'].map((v) => ({ key: v, group: [v] })));
    expect(colors.get('Error')).toBe(LEVEL_COLORS.error);
    expect(colors.get('Ok')).toBe(LEVEL_COLORS.ok);
    expect(colors.get('Unset')).toBe(LEVEL_COLORS.debug);
  });
  it('keeps the palette for other groups and ungrouped series', () => {
    const colors = seriesColors([{ key: 'a', group: ['api'] }, { key: 'b', group: ['web'] }, { key: 'c' }]);
    expect([...colors.values()]).toEqual(PALETTE.slice(0, 3));
  });
  it('does not reuse a level colour for other series', () => {
    const colors = seriesColors([{ key: 'x', group: ['(empty)'] }, { key: 'i', group: ['INFO'] }]);
    expect(colors.get('i')).toBe(LEVEL_COLORS.info);
    expect(colors.get('x')).not.toBe(LEVEL_COLORS.info);
  });
  it('colours a level once, and only single-value groups', () => {
    const colors = seriesColors([
      { key: 's0', group: ['ERROR'] },
      { key: 's1', group: ['ERROR'] },
      { key: 'pair', group: ['ERROR', 'api'] },
    ]);
    expect(colors.get('s0')).toBe(LEVEL_COLORS.error);
    expect(colors.get('s1')).not.toBe(LEVEL_COLORS.error);
    expect(colors.get('pair')).not.toBe(LEVEL_COLORS.error);
  });
});
