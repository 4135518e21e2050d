'use client';

import { LanUrl } from '@/components/ui/LanUrl';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, useTransition } from 'react';
import { applyExposeAction, planExpose, undoExposeAction, type PlanView } from '@/app/actions/expose';
import type { ExposeTarget } from '@/lib/schemas/expose';
import { Button } from '@/components/ui/Button';
import type { ExposeResult } from '@/lib/wire';
import { queryKeys } from '@/lib/query-keys';

type Phase =
  | { at: 'idle' }
  | { at: 'planning' }
  | { at: 'plan'; plan: PlanView }
  | { at: 'applying'; plan: PlanView }
  | { at: 'done'; result: ExposeResult }
  | { at: 'undone' }
  | { at: 'error'; error: string; plan?: PlanView };

/**
 * The one click: shows the plan before anything changes, applies it with visible progress,
 * gives the LAN URL once it answers, and can undo exactly what it did.
 */
export function ExposeButton({
  target,
  label,
  variant = 'primary',
  size = 'md',
}: {
  target: ExposeTarget;
  label: string;
  variant?: 'primary' | 'secondary';
  size?: 'sm' | 'md';
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const client = useQueryClient();
  const [phase, setPhase] = useState<Phase>({ at: 'idle' });
  const [chosen, setChosen] = useState<ExposeTarget>(target);
  const [, start] = useTransition();

  const open = (t: ExposeTarget = target) =>
    start(async () => {
      setChosen(t);
      setPhase({ at: 'planning' });
      dialog.current?.showModal();
      const res = await planExpose(t);
      setPhase(res.ok ? { at: 'plan', plan: res.data } : { at: 'error', error: res.error });
    });
  const apply = (plan: PlanView) =>
    start(async () => {
      setPhase({ at: 'applying', plan });
      const res = await applyExposeAction(chosen);
      await client.invalidateQueries({ queryKey: queryKeys.state });
      setPhase(res.ok ? { at: 'done', result: res.data } : { at: 'error', error: res.error, plan });
    });
  const undo = (id: string) =>
    start(async () => {
      const res = await undoExposeAction(id);
      await client.invalidateQueries({ queryKey: queryKeys.state });
      setPhase(res.ok ? { at: 'undone' } : { at: 'error', error: res.error });
    });

  return (
    <>
      <Button variant={variant} size={size} onClick={() => open()}>
        {label}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby="expose-title"
        className="m-auto w-full max-w-lg rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id="expose-title" className="text-lg font-semibold">
          {phase.at === 'plan' || phase.at === 'applying' ? phase.plan.title : label}
        </h2>
        <div aria-live="polite" className="mt-4 space-y-3 text-sm">
          {phase.at === 'planning' ? <p>Working out the plan…</p> : null}
          {phase.at === 'plan' && phase.plan.choices ? (
            <>
              <p>There are several Grafana services. Which one?</p>
              <ul className="space-y-1">
                {phase.plan.choices.map((c) => (
                  <li key={`${c.namespace}/${c.name}`}>
                    <Button variant="secondary" onClick={() => open({ kind: 'grafana', namespace: c.namespace, name: c.name })}>
                      {c.namespace}/{c.name}
                    </Button>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {(phase.at === 'plan' && !phase.plan.choices) || phase.at === 'applying' ? (
            <>
              <p>
                {phase.at === 'applying'
                  ? 'Applying, then checking that the URL answers (up to 10 s)…'
                  : 'The plan. Nothing has changed yet:'}
              </p>
              <ol aria-label="Plan" className="list-decimal space-y-1 pl-5">
                {phase.plan.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
              {phase.plan.note ? <p className="text-amber-700 dark:text-amber-400">{phase.plan.note}</p> : null}
            </>
          ) : null}
          {phase.at === 'done' ? (
            <>
              <p>{phase.result.alreadyExposed ? 'Already exposed:' : 'Exposed. It answers at:'}</p>
              <p>
                <LanUrl url={phase.result.url} className="text-base font-semibold" newTab />
              </p>
            </>
          ) : null}
          {phase.at === 'undone' ? <p>Undone: the forward is closed and the Service is as it was.</p> : null}
          {phase.at === 'error' ? (
            <p role="alert" className="text-red-700 dark:text-red-400">
              {phase.error}
            </p>
          ) : null}
        </div>
        <div className="mt-6 flex justify-end gap-2">
          {phase.at === 'plan' && !phase.plan.choices ? <Button onClick={() => apply(phase.plan)}>Apply</Button> : null}
          {phase.at === 'applying' ? <Button disabled>Applying…</Button> : null}
          {phase.at === 'done' ? (
            <Button variant="secondary" onClick={() => undo(phase.result.id)}>
              Undo
            </Button>
          ) : null}
          <Button variant="ghost" onClick={() => dialog.current?.close()}>
            Close
          </Button>
        </div>
      </dialog>
    </>
  );
}
