// A table of keys (ingestion or personal): name, created, last used, status,
// and the actions that apply to a working key (reveal when offered, rotate,
// revoke).

import { sortKeys, type ApiKey } from '../common/keyStatus';
import ConfirmButton from '../common/ConfirmButton';
import KeyStatusBadge from '../common/KeyStatusBadge';
import TimeCell from '../common/TimeCell';
import RotateControl from './RotateControl';

interface Props {
  keys: ApiKey[];
  onReveal?: (key: ApiKey) => void;
  onRotate: (key: ApiKey, graceSeconds: number) => Promise<void>;
  onRevoke: (key: ApiKey) => Promise<void>;
}

export default function KeyTable({ keys, onReveal, onRotate, onRevoke }: Props) {
  return (
    <table className="simple settings-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Created</th>
          <th>Last used</th>
          <th>Status</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {sortKeys(keys).map((k) => (
          <tr key={k.id} className={k.active ? undefined : 'row-inactive'}>
            <td>{k.name}</td>
            <td>
              <TimeCell ms={k.createdAt} />
            </td>
            <td>
              <TimeCell ms={k.lastUsedAt} empty="never" />
            </td>
            <td>
              <KeyStatusBadge apiKey={k} />
            </td>
            <td className="actions">
              {k.active && (
                <>
                  {onReveal && (
                    <button type="button" className="secondary" onClick={() => onReveal(k)}>
                      Reveal
                    </button>
                  )}
                  <RotateControl onRotate={(grace) => onRotate(k, grace)} />
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke “${k.name}” now? Clients using it are refused at once.`}
                    onConfirm={() => onRevoke(k)}
                  />
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
