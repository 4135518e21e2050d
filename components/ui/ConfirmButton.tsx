'use client';

import { useState, type ReactNode } from 'react';
import { useLiveMutation } from '@/components/providers/useLiveMutation';
import type { ActionResult } from '@/lib/result';
import { Button } from './Button';
import { Dialog } from './Dialog';

/**
 * A button for a change that cannot be taken back by a click: it asks first in the app's own
 * dialog (what will happen, in words), then runs the action there. A failure stays in the dialog
 * beside the button that caused it, so it can be read and tried again; success closes it.
 */
export function ConfirmButton({
  label,
  text,
  title,
  confirmLabel,
  busy,
  done,
  run,
  children,
}: {
  label: string; // the button's accessible name: what it does to what
  text: string; // what the button shows
  title: string; // the dialog's question
  confirmLabel: string;
  busy: string;
  done: string;
  run: () => Promise<ActionResult<unknown>>;
  children: ReactNode; // what will happen
}) {
  const [asking, setAsking] = useState(false);
  const mutation = useLiveMutation(run, done);
  const confirm = async () => {
    if ((await mutation.run(undefined)).ok) setAsking(false);
  };
  return (
    <>
      <Button
        variant="secondary"
        disabled={mutation.pending}
        aria-label={label}
        onClick={() => {
          mutation.reset();
          setAsking(true);
        }}
      >
        {mutation.pending ? busy : text}
      </Button>
      <Dialog
        open={asking}
        title={title}
        onClose={() => setAsking(false)}
        actions={
          <>
            <Button variant="ghost" onClick={() => setAsking(false)}>
              Cancel
            </Button>
            <Button disabled={mutation.pending} onClick={() => void confirm()}>
              {mutation.pending ? busy : confirmLabel}
            </Button>
          </>
        }
      >
        {children}
        {mutation.error ? (
          <p role="alert" className="text-red-700 dark:text-red-400">
            {mutation.error}
          </p>
        ) : null}
      </Dialog>
    </>
  );
}
