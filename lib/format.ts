/** 1536 → "1.5 KiB"; null → "—". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export const formatUsage = (u: { used: number; total: number } | null) => (u ? `${formatBytes(u.used)} / ${formatBytes(u.total)}` : '—');

export const formatLabel = (k: string, v: string) => (v ? `${k}=${v}` : k);

/** A URL fit to be a link: http(s) only, so no javascript: or data: URL ever becomes one. Else undefined (shown as text). */
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A share as a percentage, rounded down so it never reads healthier than it was: 100%, 99.9%, 75%; a dash when unknown. */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  const pct = share * 100;
  return pct >= 99 && pct < 100 ? `${(Math.floor(pct * 10) / 10).toFixed(1)}%` : `${Math.floor(pct)}%`;
}
