// A key/value table for attribute maps and row fields; nested values are
// shown as compact JSON.
interface Props {
  title: string;
  entries: [string, unknown][];
  emptyText?: string;
}

export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export default function AttributeTable({ title, entries, emptyText = 'None' }: Props) {
  return (
    <section className="attr-section">
      <h4>
        {title} <span className="muted">({entries.length})</span>
      </h4>
      {entries.length === 0 ? (
        <div className="muted attr-empty">{emptyText}</div>
      ) : (
        <table className="simple attr-table">
          <tbody>
            {entries.map(([k, v]) => (
              <tr key={k}>
                <th scope="row" className="mono">
                  {k}
                </th>
                <td className="mono">{renderValue(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function mapEntries(value: unknown): [string, unknown][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
}
