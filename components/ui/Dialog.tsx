'use client';

import { useEffect, useId, useRef, type ReactNode } from 'react';

export const dialogClass =
  'm-auto w-full rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100';

/**
 * The app's modal dialog: the browser's own <dialog> opened with showModal, so focus stays inside,
 * the page behind is inert and Escape closes it; named by its title for screen readers. `onClose`:
 * however it closed (Escape, a Cancel button, the caller setting `open` to false).
 */
export function Dialog({
  open,
  title,
  onClose,
  actions,
  children,
  width = 'max-w-md',
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  actions: ReactNode;
  children?: ReactNode;
  width?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (open && !dialog?.open) dialog?.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={titleId} className={`${dialogClass} ${width}`} onClose={onClose}>
      <h2 id={titleId} className="text-lg font-semibold">
        {title}
      </h2>
      <div aria-live="polite" className="mt-4 space-y-3 text-sm">
        {children}
      </div>
      <div className="mt-6 flex justify-end gap-2">{actions}</div>
    </dialog>
  );
}
