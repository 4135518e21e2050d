import { safeHref } from '@/lib/format';

/**
 * A LAN URL as a link that never wraps inside its address: at most before the port or the path,
 * so "192.168.50.27" stays on one line however narrow the cell.
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
          <span className="whitespace-nowrap">{parts[1]}</span>
          <wbr />
          <span className="whitespace-nowrap">{parts[2] ?? ''}</span>
          <wbr />
          <span className="whitespace-nowrap">{parts[3] ?? ''}</span>
        </>
      ) : (
        url
      )}
    </a>
  );
}
