import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, formFromParams, formProblem, formToParams, formToSpec, type ChartForm } from './chartForm';

const form: ChartForm = {
  name: 'Slow',
  sourceId: '3',
  aggFn: 'p95',
  field: 'Duration',
  where: 'ServiceName:api',
  whereLanguage: 'sql',
  groupBy: 'SpanName',
  granularity: '5 minute',
  displayType: 'stacked_bar',
};

describe('chart form URL', () => {
  it('round-trips', () => {
    const params = formToParams(form, '24h', { dashboardId: '6', tileId: 't1' });
    const state = formFromParams(new URLSearchParams(params.toString()));
    expect(state).toEqual({ form, range: '24h', dashboardId: '6', tileId: 't1', hasForm: true });
  });
  it('falls back to defaults on unknown values', () => {
    const state = formFromParams(new URLSearchParams('aggFn=median&display=pie&granularity=7%20minute&range=2y'));
    expect(state.form).toEqual(DEFAULT_FORM);
    expect(state.range).toBe('1h');
    expect(state.hasForm).toBe(false);
  });
});

describe('formToSpec and formProblem', () => {
  it('drops the field of count', () => {
    expect(formToSpec({ ...form, aggFn: 'count' }).series).toEqual([{ aggFn: 'count', field: '' }]);
    expect(formToSpec(form).series).toEqual([{ aggFn: 'p95', field: 'Duration' }]);
  });
  it('asks for a source and a field', () => {
    expect(formProblem(DEFAULT_FORM)).toMatch(/source/);
    expect(formProblem({ ...form, field: ' ' })).toMatch(/needs a field/);
    expect(formProblem(form)).toBeNull();
  });
});
