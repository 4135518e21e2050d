import { safeHref } from '@/lib/format';

/**
 * A LAN URL as a link that never wraps inside its address and port: at most before the path, so
 * "http://grafana.local:30060" stays on one line (the tables give their URL columns that room).
 */
export function LanUrl({ url, className = '', newTab = false }: { url: string; className?: string; newTab?: boolean }) {
  const parts = /^(https?:\/\/[^:/]+)(:\d+)?(\/.*)?$/.exec(url);
  return (
    <a
      href={safeHref(url)}
      className={`text-brand-600 underline dark:text-brand-500 ${className}`}
      {...(newTab ? { target: '_blank', rel: 'noreferrer' } : {})}
    >
      {parts ? (
        <>
          <span className="whitespace-nowrap">
            {parts[1]}
            {parts[2] ?? ''}
          </span>
          <wbr />
          <span className="whitespace-nowrap">{parts[3] ?? ''}</span>
        </>
      ) : (
        url
      )}
    </a>
  );
}
