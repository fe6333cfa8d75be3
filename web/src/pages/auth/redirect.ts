// Where to go after signing in: the `?next=` path when it is a path of this
// app (so a crafted link cannot send the user to another site), else the
// fallback.

export function safeNextPath(next: string | null | undefined, fallback = '/search'): string {
  if (!next) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  if (next.startsWith('/login') || next.startsWith('/register') || next.startsWith('/join-team')) return fallback;
  return next;
}
