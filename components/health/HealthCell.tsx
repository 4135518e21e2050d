import { Badge } from '@/components/ui/Badge';
import { When } from '@/components/ui/When';
import { formatPercent } from '@/lib/format';
import type { ForwardHealth } from '@/lib/wire';

const tone = { up: 'green', down: 'red', unknown: 'gray' } as const;

/** The state of a forward's health as a badge; its reason, when there is one, as the badge's title. */
export function HealthBadge({ health }: { health: Pick<ForwardHealth, 'state' | 'reason'> }) {
  return (
    <Badge tone={tone[health.state]} title={health.reason ?? undefined}>
      {health.state === 'unknown' ? 'not probed' : health.state}
    </Badge>
  );
}

/**
 * Is it up: the state and since when, why when down, its uptime over a day and a week, the last
 * answer time, and the changes behind them in a disclosure.
 */
export function HealthCell({ name, health }: { name: string; health: ForwardHealth | null }) {
  if (!health) return <span className="text-xs text-zinc-500 dark:text-zinc-400">not probed yet</span>;
  return (
    <span className="space-y-0.5 text-xs">
      <span className="flex flex-wrap items-center gap-x-1.5">
        <HealthBadge health={health} />
        {health.since ? (
          <span className="text-zinc-500 dark:text-zinc-400">
            since <When at={health.since} />
          </span>
        ) : null}
      </span>
      {health.reason ? <span className="block break-words text-zinc-600 dark:text-zinc-300">{health.reason}</span> : null}
      {health.state !== 'unknown' ? (
        <span className="block text-zinc-500 dark:text-zinc-400">
          <abbr title="up over the last 24 hours" className="no-underline">
            {formatPercent(health.uptimeDay)} 24 h
          </abbr>{' '}
          ·{' '}
          <abbr title="up over the last 7 days" className="no-underline">
            {formatPercent(health.uptimeWeek)} 7 d
          </abbr>
          {health.responseMs !== null ? ` · ${health.responseMs} ms` : ''}
        </span>
      ) : null}
      {health.history.length > 1 ? (
        <details className="text-zinc-600 dark:text-zinc-300">
          <summary className="cursor-pointer text-brand-600 dark:text-brand-500" aria-label={`History of ${name}'s health`}>
            History
          </summary>
          <ol className="mt-1 space-y-0.5" aria-label={`${name}: changes of health, newest first`}>
            {health.history.map((c, i) => (
              <li key={`${c.at}-${i}`}>
                <When at={c.at} />{' '}
                <span className={c.up ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>
                  {c.up ? 'up' : 'down'}
                </span>
                {c.reason ? `: ${c.reason}` : ''}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </span>
  );
}
