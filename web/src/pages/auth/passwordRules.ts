// The server's password policy (src/auth/password_policy.h) as a live
// checklist: 12 to 72 bytes (UTF-8, like the server counts), an ASCII
// lower-case letter, an ASCII upper-case letter, a digit, and any other
// character (punctuation, space, non-ASCII) as the "special" one; plus the
// confirmation matching. Forms tick the rules as the user types and only
// submit when all pass.

export interface PasswordRule {
  id: 'length' | 'lower' | 'upper' | 'digit' | 'special' | 'confirm';
  label: string;
  ok: boolean;
}

export const MIN_PASSWORD_BYTES = 12;
export const MAX_PASSWORD_BYTES = 72;

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function passwordRules(password: string, confirm: string): PasswordRule[] {
  const bytes = utf8Length(password);
  let lower = false;
  let upper = false;
  let digit = false;
  let special = false;
  for (const c of password) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else special = true;
  }
  return [
    {
      id: 'length',
      label:
        bytes > MAX_PASSWORD_BYTES
          ? `${MIN_PASSWORD_BYTES} to ${MAX_PASSWORD_BYTES} characters (${bytes - MAX_PASSWORD_BYTES} too many)`
          : `${MIN_PASSWORD_BYTES} to ${MAX_PASSWORD_BYTES} characters`,
      ok: bytes >= MIN_PASSWORD_BYTES && bytes <= MAX_PASSWORD_BYTES,
    },
    { id: 'lower', label: 'a lower-case letter', ok: lower },
    { id: 'upper', label: 'an upper-case letter', ok: upper },
    { id: 'digit', label: 'a digit', ok: digit },
    { id: 'special', label: 'a special character (not a letter or digit)', ok: special },
    { id: 'confirm', label: 'confirmation matches', ok: password.length > 0 && password === confirm },
  ];
}

export function passwordAcceptable(password: string, confirm: string): boolean {
  return passwordRules(password, confirm).every((r) => r.ok);
}
