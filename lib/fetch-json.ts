let loggingOut = false;
/** Set while this tab logs itself out: the logout's own redirect (to a plain /login) then wins. */
export function setLoggingOut(value: boolean): void {
  loggingOut = value;
}

/** The session ended under this tab (expiry, a logout elsewhere): to the login, and back here after. */
export function toLoginAndBack(): void {
  if (loggingOut) return;
  // A full load, so the login page and the proxy see the missing session.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
}

/** GET JSON from our own API in the browser; a failed answer throws with the server's message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (res.status === 401) {
    toLoginAndBack();
    throw new Error('Your session has ended.');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `The server answered ${res.status}.`);
  }
  return (await res.json()) as T;
}
