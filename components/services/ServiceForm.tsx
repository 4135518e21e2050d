'use client';

import { useState } from 'react';
import { changeService } from '@/app/actions/cluster';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import type { ServiceRow } from '@/lib/domain/views';
import { ActionForm } from '@/components/ui/ActionForm';

/** A Service's type, the nodePort of one of its ports, and its external traffic policy. */
export function ServiceForm({ services }: { services: ServiceRow[] }) {
  const { state, submit, pending, typed, errors } = useLiveAction(changeService);
  const editable = services.filter((s) => s.type !== 'ExternalName' && s.ports.length);
  const [chosen, setChosen] = useState(editable[0] ? `${editable[0].namespace}/${editable[0].name}` : '');
  const svc = editable.find((s) => `${s.namespace}/${s.name}` === chosen);
  return (
    <ActionForm label="Change a service" title="Change a service" className="mt-6 space-y-3" action={submit} typed={typed}>
      <div className="grid gap-3 md:grid-cols-3">
        <Select label="Service" name="service" value={chosen} onChange={(e) => setChosen(e.target.value)}>
          {editable.map((s) => (
            <option key={`${s.namespace}/${s.name}`} value={`${s.namespace}/${s.name}`}>
              {s.namespace}/{s.name}
            </option>
          ))}
        </Select>
        <Select label="Type" name="type" defaultValue={typed.type ?? svc?.type} errors={errors('type')}>
          <option>ClusterIP</option>
          <option>NodePort</option>
          <option>LoadBalancer</option>
        </Select>
        <Select
          label="External traffic policy"
          name="externalTrafficPolicy"
          defaultValue={typed.externalTrafficPolicy ?? svc?.externalTrafficPolicy ?? ''}
        >
          <option value="">(keep)</option>
          <option>Cluster</option>
          <option>Local</option>
        </Select>
        <Select label="Port" name="port" defaultValue={typed.port}>
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
          defaultValue={typed.nodePort}
          errors={errors('nodePort')}
          placeholder="30000-32767, empty: the cluster picks"
        />
      </div>
      <input type="hidden" name="namespace" value={svc?.namespace ?? ''} />
      <input type="hidden" name="name" value={svc?.name ?? ''} />
      <input type="hidden" name="resourceVersion" value={svc?.resourceVersion ?? ''} />
      <FormStatus state={state} done="Service changed." />
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save service'}
      </Button>
    </ActionForm>
  );
}
