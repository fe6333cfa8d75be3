// The filter sidebar: the most frequent values of a few fields among the
// rows matching the search (POST /api/v2/facets). Clicking a value adds it
// to the query; Alt- or Shift-click excludes it.
import type { SignalKind } from './rowFields';

export interface FacetValue {
  value: string;
  count: number;
}

export interface FacetsResponse {
  facets: { field: string; values: FacetValue[] }[];
  partial: boolean;
}

export const FACET_FIELDS: Record<SignalKind, string[]> = {
  log: ['ServiceName', 'SeverityText', 'http.method', 'http.status_code', 'host.name'],
  trace: ['ServiceName', 'SpanName', 'StatusCode', 'SpanKind', 'http.method', 'http.status_code'],
};

export interface FacetsSidebarProps {
  data: FacetsResponse | null;
  loading: boolean;
  error: string | null;
  onFilter: (field: string, value: string, exclude: boolean) => void;
}

export default function FacetsSidebar({ data, loading, error, onFilter }: FacetsSidebarProps) {
  const facets = data?.facets.filter((f) => f.values.length > 0) ?? [];
  return (
    <nav className="sr-facets" aria-label="Filters" aria-busy={loading}>
      <div className="sr-facets-head">
        Filters {loading && <span className="muted sr-small">updating…</span>}
      </div>
      <div className="muted sr-small sr-facets-hint">Click to filter · Alt/Shift-click to exclude</div>
      {error && <div className="error-box sr-small">{error}</div>}
      {data?.partial && <div className="sr-warn sr-small">Counts are partial (a query limit was reached).</div>}
      {!error && data && facets.length === 0 && <div className="muted sr-small">No values in this range.</div>}
      {facets.map((f) => {
        const max = Math.max(...f.values.map((v) => v.count), 1);
        return (
          <section key={f.field} className="sr-facet">
            <h4 className="mono" title={f.field}>{f.field}</h4>
            <ul>
              {f.values.map((v) => (
                <li key={v.value}>
                  <button
                    type="button"
                    className="sr-facet-value"
                    title={`${f.field}: ${v.value} — click to filter, Alt/Shift-click to exclude`}
                    onClick={(e) => onFilter(f.field, v.value, e.altKey || e.shiftKey)}
                  >
                    <span className="sr-facet-bar" style={{ width: `${(v.count / max) * 100}%` }} />
                    <span className="sr-facet-name">{v.value}</span>
                    <span className="sr-facet-count">{v.count.toLocaleString()}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
