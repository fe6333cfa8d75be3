// A secret (a raw key, an invitation link) in a monospace box with a Copy
// button, and an optional warning such as "shown only once".

import CopyButton from './CopyButton';

export default function SecretValue({ value, note, label }: { value: string; note?: string; label?: string }) {
  return (
    <div className="secret-value">
      {label && <div className="secret-label">{label}</div>}
      <div className="secret-row">
        <code className="mono secret-text" tabIndex={0}>
          {value}
        </code>
        <CopyButton text={value} />
      </div>
      {note && <div className="muted secret-note">{note}</div>}
    </div>
  );
}
