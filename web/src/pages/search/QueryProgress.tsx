// While queries run: an animated bar, the elapsed time and a Cancel button
// (aborting the requests makes the server stop the queries).
import { useEffect, useState } from 'react';

export default function QueryProgress({ startedAt, onCancel }: { startedAt: number; onCancel: () => void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(t);
  }, []);
  const elapsed = Math.max(0, now - startedAt) / 1000;
  return (
    <div className="sr-progress" role="status" aria-live="polite">
      <div className="sr-progress-bar" aria-hidden="true" />
      <span>Searching… {elapsed.toFixed(1)} s</span>
      <button type="button" className="secondary sr-action" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
