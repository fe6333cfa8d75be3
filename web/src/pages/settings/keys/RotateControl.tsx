// "Rotate…": pick how long the old key keeps working (none, 1 h, 24 h, 7 d),
// then confirm. The caller shows the new key it gets back.

import { useId, useState } from 'react';
import { GRACE_CHOICES } from '../common/keyStatus';

export default function RotateControl({ onRotate }: { onRotate: (graceSeconds: number) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState(86400);
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Rotate…
      </button>
    );
  }
  return (
    <span className="confirm-inline">
      <label htmlFor={selectId} className="muted">
        Old key works for
      </label>
      <select id={selectId} value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
        {GRACE_CHOICES.map((c) => (
          <option key={c.seconds} value={c.seconds}>
            {c.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onRotate(grace);
            setOpen(false);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Rotating…' : 'Rotate'}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => setOpen(false)}>
        Cancel
      </button>
    </span>
  );
}
