// One ready-to-paste line (a command, an endpoint) with a Copy button.

import CopyButton from '../settings/common/CopyButton';

export default function CodeLine({ text, label }: { text: string; label?: string }) {
  return (
    <div className="code-line">
      {label && <span className="code-label">{label}</span>}
      <code className="mono" tabIndex={0}>
        {text}
      </code>
      <CopyButton text={text} />
    </div>
  );
}
