'use client';

import { useState } from 'react';
import { changeService } from '@/app/actions/cluster';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import { ActionForm } from '@/components/ui/ActionForm';
import type { ServiceRow } from '@/lib/wire';

interface Draft {
  type: string;
  externalTrafficPolicy: string; // '' : as it is
  port: string;
  nodePort: string; // '' : as it is (or, made a NodePort, the cluster picks)
}

/** A service's own settings: what the form shows when it is chosen. */
const draftOf = (svc: ServiceRow | undefined): Draft => ({
  type: svc?.type ?? 'ClusterIP',
  externalTrafficPolicy: svc?.externalTrafficPolicy ?? '',
  port: String(svc?.ports[0]?.port ?? ''),
  nodePort: '',
});

/** A Service's type, the nodePort of one of its ports, and its external traffic policy: only what the person changes is sent. */
export function ServiceForm({ services }: { services: ServiceRow[] }) {
  const editable = services.filter((s) => s.type !== 'ExternalName' && s.ports.length);
  const key = (s: ServiceRow) => `${s.namespace}/${s.name}`;
  const [chosen, setChosen] = useState(editable[0] ? key(editable[0]) : '');
  const svc = editable.find((s) => key(s) === chosen);
  const [draft, setDraft] = useState<Draft>(() => draftOf(svc));
  // Saved: the nodePort typed is now the service's own (shown in Port), the field empty again.
  const { state, submit, pending, typed, errors } = useLiveAction(changeService, 'Service changed.', () =>
    setDraft((d) => ({ ...d, nodePort: '' })),
  );
  const set = (field: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [field]: e.target.value });
  const changed =
    !!svc && (draft.type !== svc.type || draft.externalTrafficPolicy !== (svc.externalTrafficPolicy ?? '') || draft.nodePort.trim() !== '');
  return (
    <ActionForm label="Change a service" title="Change a service" className="mt-6 space-y-3" action={submit} typed={typed}>
      <div className="grid gap-3 md:grid-cols-3">
        <Select
          label="Service"
          name="service"
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            setDraft(draftOf(editable.find((s) => key(s) === e.target.value)));
          }}
        >
          {editable.map((s) => (
            <option key={key(s)} value={key(s)}>
              {s.namespace}/{s.name}
            </option>
          ))}
        </Select>
        <Select label="Type" name="type" value={draft.type} onChange={set('type')} errors={errors('type')}>
          <option>ClusterIP</option>
          <option>NodePort</option>
          <option>LoadBalancer</option>
        </Select>
        <Select
          label="External traffic policy"
          name="externalTrafficPolicy"
          value={draft.externalTrafficPolicy}
          onChange={set('externalTrafficPolicy')}
        >
          <option value="">(not set)</option>
          <option>Cluster</option>
          <option>Local</option>
        </Select>
        <Select label="Port" name="port" value={draft.port} onChange={set('port')}>
          {svc?.ports.map((p) => (
            <option key={p.port} value={p.port}>
              {p.port}/{p.protocol}
              {p.nodePort ? ` (nodePort ${p.nodePort})` : ''}
            </option>
          ))}
        </Select>
        <Field
          label="nodePort"
          name="nodePort"
          type="number"
          value={draft.nodePort}
          onChange={set('nodePort')}
          errors={errors('nodePort')}
          placeholder="30000-32767, empty: as it is"
        />
      </div>
      <input type="hidden" name="namespace" value={svc?.namespace ?? ''} />
      <input type="hidden" name="name" value={svc?.name ?? ''} />
      <input type="hidden" name="resourceVersion" value={svc?.resourceVersion ?? ''} />
      <FormStatus state={state} done="Service changed." />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending || !changed}>
          {pending ? 'Saving…' : 'Save service'}
        </Button>
        {changed ? null : <span className="text-sm text-zinc-600 dark:text-zinc-400">Nothing changed yet.</span>}
      </div>
    </ActionForm>
  );
}
