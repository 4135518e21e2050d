/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with ' (OWASP's CSV injection advice). */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The activity log as the CSV download has it. */
export const auditCsv = (
  entries: readonly { at: string; actor: string; action: string; subject: string; detail: string; result: string }[],
) =>
  toCsv(
    ['when', 'who', 'what', 'on', 'detail', 'result'],
    entries.map((e) => [e.at, e.actor, e.action, e.subject, e.detail, e.result]),
  );
