/**
 * A moment as this browser's clock reads it: the time today, the day and time before. The
 * server renders it in its own zone, so the browser's text is allowed to differ.
 */
export function When({ at }: { at: string }) {
  const d = new Date(at);
  const today = d.toDateString() === new Date().toDateString();
  return (
    <time dateTime={at} suppressHydrationWarning>
      {today ? d.toLocaleTimeString() : d.toLocaleString()}
    </time>
  );
}
