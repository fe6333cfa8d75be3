// A destructive action in two clicks: the first shows "Really <label>?" with
// Yes/No buttons in place, so nothing is deleted by a stray click.

import { useState, type ReactNode } from 'react';

interface Props {
  label: string;
  question: ReactNode;
  onConfirm: () => void | Promise<void>;
  disabled?: boolean;
}

export default function ConfirmButton({ label, question, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="secondary" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm-inline" role="group" aria-label={`Confirm ${label.toLowerCase()}`}>
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        autoFocus
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {busy ? 'Working…' : 'Yes'}
      </button>
      <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}
