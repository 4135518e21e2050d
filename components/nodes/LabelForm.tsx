'use client';

import { useState } from 'react';
import { changeNodeLabel } from '@/app/actions/cluster';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import { ActionForm } from '@/components/ui/ActionForm';
import type { NodeRow } from '@/lib/wire';

export function LabelForm({ nodes }: { nodes: NodeRow[] }) {
  const { state, submit, pending, typed, errors } = useLiveAction(changeNodeLabel);
  const [nodeName, setNodeName] = useState(nodes[0]?.name ?? '');
  const node = nodes.find((n) => n.name === nodeName);
  return (
    <ActionForm label="Change a node label" title="Change a node label" action={submit} typed={typed}>
      <div className="grid gap-3 md:grid-cols-3">
        <Select label="Node" name="node" value={nodeName} onChange={(e) => setNodeName(e.target.value)} errors={errors('node')}>
          {nodes.map((n) => (
            <option key={n.name}>{n.name}</option>
          ))}
        </Select>
        <Field label="Key" name="key" defaultValue={typed.key} errors={errors('key')} placeholder="type" />
        <Field label="Value" name="value" defaultValue={typed.value} errors={errors('value')} placeholder="ui" />
      </div>
      {/* The version the person saw: a change made meanwhile makes the patch fail instead of overwriting it. */}
      <input type="hidden" name="resourceVersion" value={node?.resourceVersion ?? ''} />
      <FormStatus state={state} done="Label changed." />
      <div className="flex gap-2">
        <Button type="submit" name="intent" value="set" disabled={pending}>
          Set label
        </Button>
        <Button type="submit" name="intent" value="remove" variant="secondary" disabled={pending}>
          Remove label
        </Button>
      </div>
    </ActionForm>
  );
}
