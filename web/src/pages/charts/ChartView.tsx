// Runs one chart (POST /api/v2/charts/series) and shows it as its display
// type: a uPlot time series, a single number, or a table. Used by the chart
// explorer and by every dashboard tile.
import { useEffect, useMemo, useState } from 'react';
import { post } from '../../api/client';
import type { Source } from '../../api/types';
import TimeSeriesChart from '../../components/charts/TimeSeriesChart';
import { formatValue } from '../../components/charts/format';
import {
  buildSeriesRequest,
  seriesLabel,
  seriesUnit,
  toNumber,
  toTable,
  toTimeSeries,
  parseGroupBy,
  type ChartSpec,
  type SeriesResponse,
  type TimeRange,
  type WhereLanguage,
} from './chartData';
import './ChartView.css';

interface Props {
  spec: ChartSpec;
  range: TimeRange;
  sources: Source[];
  filter?: { where: string; whereLanguage: WhereLanguage };
  height?: number; // fixed plot height; without it the chart fills its parent
  runKey?: number; // change to run again with the same inputs
}

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ok'; response: SeriesResponse };

export default function ChartView({ spec, range, sources, filter, height, runKey = 0 }: Props) {
  const built = useMemo(() => buildSeriesRequest(spec, range, filter), [spec, range, filter]);
  const requestJson = JSON.stringify(built.request);
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    post<SeriesResponse>('/api/v2/charts/series', JSON.parse(requestJson), { signal: controller.signal })
      .then((response) => setState({ kind: 'ok', response }))
      .catch((e) => {
        if (!controller.signal.aborted) setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      });
    return () => controller.abort();
  }, [requestJson, runKey]);

  const source = sources.find((s) => s.id === spec.sourceId);
  const unit = seriesUnit(spec.series[0], source);

  return (
    <div className={`chart-view${height === undefined ? ' fill' : ''}`}>
      {built.filterSkipped && filter && (
        <div className="chart-note" role="note">
          The dashboard filter is {filter.whereLanguage === 'sql' ? 'SQL' : 'search syntax'} and this tile's where is{' '}
          {spec.whereLanguage === 'sql' ? 'SQL' : 'search syntax'}: the filter is not applied here.
        </div>
      )}
      {state.kind === 'loading' && <div className="chart-status">Loading…</div>}
      {state.kind === 'error' && (
        <div className="error-box chart-error" role="alert">
          {state.message}
        </div>
      )}
      {state.kind === 'ok' && (
        <>
          {state.response.meta?.partial && (
            <div className="chart-note warn" role="note">
              Partial result: {state.response.meta.partialReason ?? 'a query limit was reached'}.
            </div>
          )}
          <ChartBody spec={spec} range={range} response={state.response} bucketMs={built.bucketMs} unit={unit} height={height} />
        </>
      )}
    </div>
  );
}

interface BodyProps {
  spec: ChartSpec;
  range: TimeRange;
  response: SeriesResponse;
  bucketMs: number | null;
  unit: 'none' | 'ns';
  height?: number;
}

const EMPTY = 'No data in this time range. Widen the time range or loosen the where condition.';

function ChartBody({ spec, range, response, bucketMs, unit, height }: BodyProps) {
  const timeSeries = useMemo(
    () => (bucketMs !== null ? toTimeSeries(response, spec.series, range, bucketMs) : null),
    [response, spec.series, range, bucketMs],
  );

  if (spec.displayType === 'number') {
    const value = toNumber(response, spec.series[0]);
    return (
      <div className="chart-number">
        <div className="chart-number-value">{formatValue(value, unit)}</div>
        <div className="muted chart-number-caption">{seriesLabel(spec.series[0])} over the whole time range</div>
      </div>
    );
  }

  if (spec.displayType === 'table') {
    const table = toTable(response, spec.series, parseGroupBy(spec.groupBy));
    if (table.rows.length === 0) return <div className="chart-status">{EMPTY}</div>;
    return (
      <div className="chart-table-wrap">
        <table className="simple chart-table">
          <thead>
            <tr>
              {table.groupColumns.map((c) => (
                <th key={`g-${c}`}>{c}</th>
              ))}
              {table.valueColumns.map((c, i) => (
                <th key={`v-${i}`} className="num">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.key}>
                {row.group.map((g, i) => (
                  <td key={i}>{g}</td>
                ))}
                {row.values.map((v, i) => (
                  <td key={`v-${i}`} className="num mono">
                    {formatValue(v, unit)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="muted chart-caption">Aggregated over the whole time range, largest first.</div>
      </div>
    );
  }

  if (!timeSeries || timeSeries.series.length === 0 || response.data.length === 0) {
    return <div className="chart-status">{EMPTY}</div>;
  }
  return (
    <>
      {timeSeries.totalSeries > timeSeries.series.length && (
        <div className="chart-note" role="note">
          Showing the {timeSeries.series.length} largest of {timeSeries.totalSeries} series.
        </div>
      )}
      <TimeSeriesChart
        x={timeSeries.x}
        series={timeSeries.series}
        kind={spec.displayType === 'stacked_bar' ? 'stacked_bar' : 'line'}
        unit={unit}
        bucketMs={bucketMs ?? 60_000}
        height={height}
      />
    </>
  );
}
