import { describe, expect, it } from 'vitest';
import { describeRows, draftFromSettings, settingsBody } from './querySettings';

describe('query settings form', () => {
  it('round-trips what the server stores', () => {
    // The server's answer after PUT {"viewer":{...},"editor":{}}.
    const stored = {
      viewer: { max_rows_to_read: 1000000, read_overflow_mode: 'break', max_execution_time: 30, timeout_overflow_mode: 'throw' },
      editor: { max_rows_to_read: 0, read_overflow_mode: 'throw', max_execution_time: 0, timeout_overflow_mode: 'throw' },
    } as const;
    const result = settingsBody(draftFromSettings(stored));
    expect(result).toEqual({
      body: {
        viewer: { max_rows_to_read: 1000000, read_overflow_mode: 'break', max_execution_time: 30, timeout_overflow_mode: 'throw' },
        editor: { read_overflow_mode: 'throw', timeout_overflow_mode: 'throw' },
      },
    });
  });

  it('leaves out roles with nothing set', () => {
    expect(settingsBody(draftFromSettings({}))).toEqual({ body: {} });
  });

  it('accepts thousands separators and fractional seconds', () => {
    const d = draftFromSettings({});
    d.viewer.maxRowsToRead = '10,000,000';
    d.viewer.maxExecutionTime = '2.5';
    expect(settingsBody(d)).toEqual({ body: { viewer: { max_rows_to_read: 10000000, max_execution_time: 2.5 } } });
  });

  it('names the field at fault', () => {
    const d = draftFromSettings({});
    d.editor.maxRowsToRead = '1e6';
    expect(settingsBody(d)).toEqual({ error: 'editor: rows to read must be a whole number' });
    d.editor.maxRowsToRead = '';
    d.admin.maxExecutionTime = '90000';
    expect('error' in settingsBody(d)).toBe(true);
  });

  it('describes zero as unlimited', () => {
    expect(describeRows(0)).toBe('unlimited');
    expect(describeRows(10000000)).toBe('10,000,000 rows');
  });
});
