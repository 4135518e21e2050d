import type { ReactNode } from 'react';

/**
 * Every change form's frame: a labelled form for a server action (through useLiveAction), keyed on
 * what was typed so the person's input comes back after React resets the form, with its title.
 */
export function ActionForm({
  label,
  title,
  action,
  typed,
  className = 'space-y-3',
  children,
}: {
  label: string;
  title?: string;
  action: (form: FormData) => void;
  typed: Record<string, string>;
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      action={action}
      noValidate
      key={JSON.stringify(typed)}
      aria-label={label}
      className={`rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      {title ? <h2 className="text-sm font-semibold">{title}</h2> : null}
      {children}
    </form>
  );
}
