/**
 * A small bar chart of a series (oldest first), for a table cell; its label says what it shows and
 * its peak, for screen readers and as a tooltip.
 */
export function Sparkline({
  values,
  label,
  width = 120,
  height = 24,
}: {
  values: number[];
  label: string;
  width?: number;
  height?: number;
}) {
  const peak = Math.max(0, ...values);
  const bar = width / Math.max(1, values.length);
  return (
    <svg
      role="img"
      aria-label={label}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      className="text-brand-600 dark:text-brand-500"
    >
      <title>{label}</title>
      <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} className="stroke-zinc-300 dark:stroke-zinc-700" />
      {peak > 0
        ? values.map((v, i) =>
            v > 0 ? (
              <rect
                key={i}
                x={i * bar}
                width={Math.max(1, bar - 0.5)}
                y={height - (v / peak) * height}
                height={(v / peak) * height}
                fill="currentColor"
              />
            ) : null,
          )
        : null}
    </svg>
  );
}
