/**
 * Where to go after logging in: only a path on this site (no scheme, no host, no `//`
 * or backslash tricks), else the overview.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 512) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  if (/[\u0000-\u001f]/.test(next)) return '/';
  try {
    const url = new URL(next, 'http://labgate.invalid');
    return url.origin === 'http://labgate.invalid' ? url.pathname + url.search : '/';
  } catch {
    return '/';
  }
}
