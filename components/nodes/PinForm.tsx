'use client';

import { useState } from 'react';
import { pinWorkload } from '@/app/actions/cluster';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import { selectorMatches } from '@/lib/domain/cluster/joins';
import { ActionForm } from '@/components/ui/ActionForm';
import type { NodeRow, WorkloadRecord } from '@/lib/wire';

const ref = (w: WorkloadRecord) => `${w.kind}/${w.namespace}/${w.name}`;

/** Pin a workload with a nodeSelector, showing which nodes it would match before anything changes. */
export function PinForm({ nodes, workloads }: { nodes: NodeRow[]; workloads: WorkloadRecord[] }) {
  const { state, submit, pending, typed, errors } = useLiveAction(pinWorkload);
  const [chosen, setChosen] = useState(workloads[0] ? ref(workloads[0]) : '');
  const workload = workloads.find((w) => ref(w) === chosen);
  // The fields show the chosen workload's own pin (its first nodeSelector entry), never another's.
  const ownPin = (w: WorkloadRecord | undefined) => Object.entries(w?.nodeSelector ?? {})[0] ?? ['', ''];
  const [key, setKey] = useState(() => ownPin(workload)[0]);
  const [value, setValue] = useState(() => ownPin(workload)[1]);
  const choose = (next: string) => {
    setChosen(next);
    const [k, v] = ownPin(workloads.find((w) => ref(w) === next));
    setKey(k);
    setValue(v);
  };
  const pinned = !!workload && Object.keys(workload.nodeSelector).length > 0;
  const samePin = !!workload && Object.keys(workload.nodeSelector).length === 1 && workload.nodeSelector[key] === value;
  const matching = key ? nodes.filter((n) => selectorMatches({ [key]: value }, n.labels)).map((n) => n.name) : [];
  return (
    <ActionForm label="Pin a workload" title="Pin a workload to nodes" action={submit} typed={typed}>
      <div className="grid gap-3 md:grid-cols-3">
        <Select label="Workload" name="workload" value={chosen} onChange={(e) => choose(e.target.value)} errors={errors('name')}>
          {workloads.map((w) => (
            <option key={ref(w)} value={ref(w)}>
              {w.namespace}/{w.name} ({w.kind})
            </option>
          ))}
        </Select>
        <Field
          label="Node label key"
          name="key"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          errors={errors('key')}
          placeholder="type"
        />
        <Field
          label="Node label value"
          name="value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          errors={errors('value')}
          placeholder="ui"
        />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
        {workload && Object.keys(workload.nodeSelector).length
          ? `Now pinned to ${Object.entries(workload.nodeSelector)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}. `
          : 'Not pinned now. '}
        {key
          ? matching.length
            ? `Nodes that match: ${matching.join(', ')}.`
            : 'No node matches this label: its pods would stay Pending.'
          : ''}
      </p>
      <FormStatus state={state} done="The workload's nodeSelector is set; the scheduler places its pods." />
      <div className="flex gap-2">
        <Button type="submit" name="intent" value="pin" disabled={pending || !key.trim() || samePin}>
          Pin
        </Button>
        <Button type="submit" name="intent" value="clear" variant="secondary" disabled={pending || !pinned}>
          Clear pinning
        </Button>
      </div>
    </ActionForm>
  );
}
