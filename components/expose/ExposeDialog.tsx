'use client';

import { useState, useTransition } from 'react';
import { applyExposeAction, planExpose, undoExposeAction } from '@/app/actions/expose';
import { useLiveMutation } from '@/components/providers/useLiveMutation';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { LanUrl } from '@/components/ui/LanUrl';
import { shownSource, splitSources } from '@/lib/domain/network/networks';
import type { AccessChoice, ExposeNaming, ExposeResult, ExposeTarget, PlanView } from '@/lib/wire';
import { AccessRadios } from '@/components/forwards/AccessField';

type Naming = { lanName: string; https: boolean; signIn: boolean; access: AccessChoice; listed: string };

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
  const [shown, setShown] = useState(false);
  const [phase, setPhase] = useState<Phase>({ at: 'idle' });
  const [chosen, setChosen] = useState<ExposeTarget>(target);
  // The name on the LAN the plan proposes and who may reach it, as the person edits them ('' for none).
  const [naming, setNaming] = useState<Naming>({ lanName: '', https: false, signIn: false, access: 'lan', listed: '' });
  const [namingError, setNamingError] = useState<string | null>(null);
  const [device, setDevice] = useState<string | null>(null); // this browser's address, as the server saw it
  const [, start] = useTransition();
  const asked = (n = naming): ExposeNaming => {
    const allowFrom = n.access === 'device' && device ? [device] : n.access === 'list' ? splitSources(n.listed) : undefined;
    return {
      ...(n.lanName ? { lanName: n.lanName, https: n.https, ...(n.https && n.signIn ? { signIn: true } : {}) } : {}),
      ...(allowFrom ? { allowFrom } : {}),
    };
  };

  const open = (t: ExposeTarget = target) =>
    start(async () => {
      setChosen(t);
      setPhase({ at: 'planning' });
      setNamingError(null);
      setShown(true);
      const res = await planExpose(t);
      if (res.ok) {
        const listed = (res.data.allowFrom ?? []).map(shownSource).join(', ');
        setNaming({
          lanName: res.data.lanName ?? '',
          https: !!res.data.https,
          signIn: !!res.data.signIn,
          access: listed ? 'list' : 'lan',
          listed,
        });
        setDevice(res.data.device);
      }
      setPhase(res.ok ? { at: 'plan', plan: res.data } : { at: 'error', error: res.error });
    });
  /** The plan again with the name as edited, so its steps say what Apply will do. */
  const rename = (n: Naming) => {
    setNaming(n); // at once, outside the transition: the field shows what was typed or ticked
    start(async () => {
      const res = await planExpose(chosen, asked(n));
      setNamingError(
        res.ok
          ? null
          : (res.fieldErrors?.lanName?.[0] ??
              res.fieldErrors?.https?.[0] ??
              res.fieldErrors?.signIn?.[0] ??
              res.fieldErrors?.allowFrom?.[0] ??
              res.error),
      );
      if (res.ok) setPhase({ at: 'plan', plan: res.data });
    });
  };
  const applying = useLiveMutation(
    () => applyExposeAction(chosen, asked()),
    (r) => (r.alreadyExposed ? `Already exposed at ${r.url}.` : `Exposed at ${r.url}.`),
  );
  const undoing = useLiveMutation(undoExposeAction, 'Undone: the forward is closed and the Service is as it was.');
  const apply = async (plan: PlanView) => {
    setPhase({ at: 'applying', plan });
    const res = await applying.run(undefined);
    setPhase(res.ok ? { at: 'done', result: res.data } : { at: 'error', error: res.error, plan });
  };
  const undo = async (id: string) => {
    const res = await undoing.run(id);
    setPhase(res.ok ? { at: 'undone' } : { at: 'error', error: res.error });
  };

  return (
    <>
      <Button variant={variant} size={size} onClick={() => open()}>
        {label}
      </Button>
      <Dialog
        open={shown}
        title={phase.at === 'plan' || phase.at === 'applying' ? phase.plan.title : label}
        onClose={() => setShown(false)}
        width="max-w-lg"
        actions={
          <>
            {phase.at === 'plan' && !phase.plan.choices ? (
              <Button onClick={() => void apply(phase.plan)} disabled={!!namingError}>
                Apply
              </Button>
            ) : null}
            {phase.at === 'applying' ? <Button disabled>Applying…</Button> : null}
            {phase.at === 'done' ? (
              <Button variant="secondary" disabled={undoing.pending} onClick={() => void undo(phase.result.id)}>
                Undo
              </Button>
            ) : null}
            <Button variant="ghost" onClick={() => setShown(false)}>
              Close
            </Button>
          </>
        }
      >
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
            <fieldset disabled={phase.at === 'applying'} className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
              <legend className="sr-only">Name on the LAN</legend>
              <label className="block">
                <span className="font-medium">Name on the LAN</span>{' '}
                <span className="text-zinc-600 dark:text-zinc-400">(optional; published by avahi-daemon)</span>
                <span className="mt-1 flex items-center gap-1">
                  <input
                    name="lanName"
                    value={naming.lanName}
                    onChange={(e) => setNaming({ ...naming, lanName: e.target.value.trim().toLowerCase() })}
                    onBlur={() => rename(naming)}
                    aria-invalid={!!namingError}
                    aria-describedby={namingError ? 'expose-naming-error' : undefined}
                    className="w-40 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-950"
                  />
                  <span>.local</span>
                </span>
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="https"
                  checked={naming.https}
                  disabled={!naming.lanName}
                  onChange={(e) => rename({ ...naming, https: e.target.checked })}
                />
                <span>HTTPS, with a certificate from labgate&apos;s CA</span>
              </label>
              <label className="flex items-center gap-2">
                <input
                  type="checkbox"
                  name="signIn"
                  checked={naming.https && naming.signIn}
                  disabled={!naming.lanName || !naming.https}
                  onChange={(e) => rename({ ...naming, signIn: e.target.checked })}
                />
                <span>Sign in with labgate: only people signed in to this dashboard get through</span>
              </label>
              {namingError ? (
                <p id="expose-naming-error" role="alert" className="text-red-700 dark:text-red-400">
                  {namingError}
                </p>
              ) : null}
            </fieldset>
            <fieldset disabled={phase.at === 'applying'} className="space-y-2">
              <legend className="font-medium">Who may reach it</legend>
              <AccessRadios device={device} value={naming.access} onChange={(access) => rename({ ...naming, access })} />
              {naming.access === 'list' ? (
                <label className="block">
                  <span className="sr-only">Addresses or networks</span>
                  <input
                    name="allowFrom"
                    value={naming.listed}
                    placeholder="192.168.50.10, 192.168.50.0/28"
                    onChange={(e) => setNaming({ ...naming, listed: e.target.value })}
                    onBlur={() => rename(naming)}
                    className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono dark:border-zinc-700 dark:bg-zinc-950"
                  />
                </label>
              ) : null}
            </fieldset>
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
      </Dialog>
    </>
  );
}
