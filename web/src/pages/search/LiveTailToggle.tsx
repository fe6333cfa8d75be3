// The live tail switch, with its state: off, live, or paused because the
// user scrolled away from the newest rows.
export interface LiveTailToggleProps {
  live: boolean;
  paused: boolean;
  onChange: (live: boolean) => void;
}

export default function LiveTailToggle({ live, paused, onChange }: LiveTailToggleProps) {
  return (
    <button
      type="button"
      className={`secondary sr-live${live ? ' on' : ''}${paused ? ' paused' : ''}`}
      aria-pressed={live}
      title={live ? 'Stop live tail' : 'Show new rows as they arrive (every 2 s)'}
      onClick={() => onChange(!live)}
    >
      <span className="sr-live-dot" aria-hidden="true" />
      {live ? (paused ? 'Live tail paused (scroll to top)' : 'Live') : 'Live tail'}
    </button>
  );
}
