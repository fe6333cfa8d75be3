// Password and confirmation inputs with the live checklist of the server's
// rules (passwordRules.ts): each rule ticks as the user types.

import { useId } from 'react';
import { passwordRules } from './passwordRules';

interface Props {
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
}

export default function PasswordFields({ password, confirm, onPassword, onConfirm }: Props) {
  const id = useId();
  const rules = passwordRules(password, confirm);
  return (
    <>
      <label htmlFor={`${id}-pw`}>Password</label>
      <input
        id={`${id}-pw`}
        type="password"
        autoComplete="new-password"
        required
        value={password}
        aria-describedby={`${id}-rules`}
        onChange={(e) => onPassword(e.target.value)}
      />
      <label htmlFor={`${id}-confirm`}>Confirm password</label>
      <input
        id={`${id}-confirm`}
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(e) => onConfirm(e.target.value)}
      />
      <ul className="password-rules" id={`${id}-rules`} aria-label="Password rules">
        {rules.map((r) => (
          <li key={r.id} className={r.ok ? 'ok' : undefined}>
            <span aria-hidden="true">{r.ok ? '✓' : '○'}</span> {r.label}
            <span className="visually-hidden">{r.ok ? ' (met)' : ' (not met)'}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
