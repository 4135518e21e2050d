'use client';

import { useState } from 'react';
import { changeNodeLabel } from '@/app/actions/cluster';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import type { NodeRow } from '@/lib/domain/views';

export function LabelForm({ nodes }: { nodes: NodeRow[] }) {
  const { state, submit, pending, typed, errors } = useLiveAction(changeNodeLabel);
  const [nodeName, setNodeName] = useState(nodes[0]?.name ?? '');
  const node = nodes.find((n) => n.name === nodeName);
  return (
    <form
      action={submit}
      noValidate
      key={JSON.stringify(typed)}
      aria-label="Change a node label"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 className="text-sm font-semibold">Change a node label</h2>
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
    </form>
  );
}
