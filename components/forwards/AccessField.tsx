'use client';

import { useId, useState } from 'react';
import type { AccessChoice } from '@/lib/wire';

/** The three answers to "who may reach it", as radios named `access`; "only this device" where its address is known. */
export function AccessRadios({
  device,
  value,
  onChange,
}: {
  device: string | null;
  value: AccessChoice;
  onChange: (choice: AccessChoice) => void;
}) {
  const options: { value: AccessChoice; label: string }[] = [
    { value: 'lan', label: 'Everyone on the LAN' },
    { value: 'list', label: 'Only these addresses or networks' },
    ...(device ? [{ value: 'device' as const, label: `Only this device (${device})` }] : []),
  ];
  return (
    <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm" role="radiogroup">
      {options.map((o) => (
        <label key={o.value} className="inline-flex items-center gap-1.5">
          <input type="radio" name="access" value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
          {o.label}
        </label>
      ))}
    </div>
  );
}

/**
 * Who may reach a forward or an exposure: everyone on the LAN, only the listed addresses and
 * networks, or only the device in front of the screen (its address shown, taken by the server
 * from the connection). Posts `access` and `allowFrom`, as readAccess reads them.
 */
export function AccessField({
  device,
  initial,
  errors,
}: {
  device: string | null;
  initial?: { choice: AccessChoice; listed: string };
  errors?: string[];
}) {
  const [choice, setChoice] = useState<AccessChoice>(initial?.choice ?? 'lan');
  const id = useId();
  return (
    <fieldset className="space-y-2" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium">Who may reach it</legend>
      <AccessRadios device={device} value={choice} onChange={setChoice} />
      {choice === 'list' ? (
        <div className="space-y-1 text-sm">
          <label htmlFor={`${id}-list`} className="sr-only">
            Addresses or networks
          </label>
          <textarea
            id={`${id}-list`}
            name="allowFrom"
            rows={2}
            defaultValue={initial?.listed ?? ''}
            placeholder="192.168.50.10, 192.168.50.0/28"
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={`${id}-hint`}
            className="block w-full max-w-md rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
            Separated by commas or spaces. The host itself always reaches it; anyone else gets no connection (HTTPS: a page that says
            labgate refused the device).
          </p>
        </div>
      ) : null}
      <div id={`${id}-error`} aria-live="polite" className="text-sm text-red-600 dark:text-red-400">
        {errors?.map((e) => (
          <p key={e}>{e}</p>
        ))}
      </div>
    </fieldset>
  );
}
