'use client';

import { useState } from 'react';
import { createForward, editForward } from '@/app/actions/forwards';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { ActionForm } from '@/components/ui/ActionForm';
import type { AccessChoice, ForwardView } from '@/lib/wire';
import { shownSource } from '@/lib/domain/network/networks';
import { AccessField } from './AccessField';

type Kind = 'service' | 'instance' | 'static';

/** A forward as the form's fields spell it: what the edit form starts from. */
function fieldsOf(f: ForwardView): Record<string, string> {
  const t = f.target;
  return {
    name: f.name,
    listenPort: String(f.listenPort),
    protocol: f.protocol,
    targetPort: String(t.port),
    description: f.description,
    lanName: f.lanName ?? '',
    https: f.https ? 'on' : '',
    signIn: f.requiresSignIn ? 'on' : '',
    access: f.allowFrom ? 'list' : 'lan',
    allowFrom: (f.allowFrom ?? []).map(shownSource).join(', '),
    ...(t.kind === 'service'
      ? { targetNamespace: t.namespace, targetService: t.name }
      : t.kind === 'instance'
        ? { targetInstance: t.name }
        : { targetIp: t.ip }),
  };
}

/** Opens a forward, or with `editing` changes that one (the same fields, sent as a PATCH of it). */
export function ForwardForm({ onDone, editing, device }: { onDone?: () => void; editing?: ForwardView; device: string | null }) {
  const [kind, setKind] = useState<Kind>(editing?.target.kind ?? 'service');
  // What was typed comes back as default values: React resets a form after its action runs.
  const {
    state,
    submit,
    pending,
    typed: typedNow,
    errors,
  } = useLiveAction(
    editing ? editForward : createForward,
    (f) => `Forward ${f.name} is ${editing ? 'changed' : 'open'}${f.url ? ` at ${f.url}` : ''}.`,
    () => onDone?.(),
  );
  const typed = Object.keys(typedNow).length || !editing ? typedNow : fieldsOf(editing);
  return (
    <ActionForm label={editing ? `Edit forward ${editing.name}` : 'Open a forward'} className="space-y-4" action={submit} typed={typed}>
      {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
      <div className="grid gap-4 md:grid-cols-3">
        <Field label="Name" name="name" defaultValue={typed.name} required maxLength={48} errors={errors('name')} placeholder="Grafana" />
        <Field
          label="Host port"
          name="listenPort"
          defaultValue={typed.listenPort}
          type="number"
          min={1}
          max={65535}
          required
          errors={errors('listenPort')}
          placeholder="30060"
        />
        <div className="space-y-1">
          <label htmlFor="protocol" className="block text-sm font-medium">
            Protocol
          </label>
          <select
            id="protocol"
            name="protocol"
            defaultValue={typed.protocol ?? 'tcp'}
            className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>
        </div>
      </div>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Target</legend>
        <div className="flex gap-4 text-sm" role="radiogroup">
          {(['service', 'instance', 'static'] as const).map((k) => (
            <label key={k} className="inline-flex items-center gap-1.5">
              <input type="radio" name="targetKind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {{ service: 'A service (follows its pod)', instance: 'An instance (follows its address)', static: 'An address' }[k]}
            </label>
          ))}
        </div>
        <div className="grid gap-4 md:grid-cols-3">
          {kind === 'service' ? (
            <>
              <Field
                label="Namespace"
                name="targetNamespace"
                defaultValue={typed.targetNamespace}
                required
                errors={errors('target.namespace')}
                placeholder="monitoring"
              />
              <Field
                label="Service"
                name="targetService"
                defaultValue={typed.targetService}
                required
                errors={errors('target.name')}
                placeholder="kps-grafana"
              />
            </>
          ) : kind === 'instance' ? (
            <Field
              label="Instance"
              name="targetInstance"
              defaultValue={typed.targetInstance}
              required
              errors={errors('target.name')}
              placeholder="ops"
            />
          ) : (
            <Field
              label="Address"
              name="targetIp"
              defaultValue={typed.targetIp}
              required
              errors={errors('target.ip')}
              placeholder="10.120.52.30"
            />
          )}
          <Field
            label={kind === 'service' ? 'Service port' : 'Port'}
            name="targetPort"
            defaultValue={typed.targetPort}
            type="number"
            min={1}
            max={65535}
            required
            errors={errors('target.port')}
            placeholder={kind === 'service' ? '80' : '8080'}
          />
        </div>
        {errors('target') ? (
          <p className="text-sm text-red-600 dark:text-red-400" role="alert">
            {errors('target')!.join(' ')}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Description (optional)"
        name="description"
        defaultValue={typed.description}
        maxLength={200}
        errors={errors('description')}
      />
      <div className="grid items-end gap-4 md:grid-cols-3">
        <Field
          label="Name on the LAN (optional, NAME.local)"
          name="lanName"
          defaultValue={typed.lanName}
          maxLength={63}
          errors={errors('lanName')}
          placeholder="grafana"
        />
        <div className="flex flex-col gap-2 pb-2 text-sm md:col-span-2">
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" name="https" defaultChecked={typed.https === 'on'} />
            HTTPS on that name, with a certificate from labgate&apos;s CA
          </label>
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" name="signIn" defaultChecked={typed.signIn === 'on'} aria-describedby="sign-in-help" />
            Sign in with labgate
          </label>
          <p id="sign-in-help" className="text-xs text-zinc-600 dark:text-zinc-400">
            With HTTPS: only people signed in to this dashboard get through (the host&apos;s own checks excepted).
          </p>
        </div>
      </div>
      <AccessField
        device={device}
        initial={{ choice: (typed.access as AccessChoice | undefined) ?? 'lan', listed: typed.allowFrom ?? '' }}
        errors={errors('allowFrom')}
      />
      {errors('tls') || errors('signIn') ? (
        <p className="text-sm text-red-600 dark:text-red-400" role="alert">
          {[...(errors('tls') ?? []), ...(errors('signIn') ?? [])].join(' ')}
        </p>
      ) : null}
      <div aria-live="polite" className="text-sm">
        {state?.ok === false ? <p className="text-red-600 dark:text-red-400">{state.error}</p> : null}
        {state?.ok ? (
          <p className="text-emerald-700 dark:text-emerald-400">
            Forward {state.data.name} is {editing ? 'changed' : 'open'}
            {state.data.url ? ` at ${state.data.url}` : ''}.
          </p>
        ) : null}
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : editing ? 'Save forward' : 'Open forward'}
      </Button>
    </ActionForm>
  );
}
