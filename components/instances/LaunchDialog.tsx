'use client';

import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { deleteTemplate, launchOrSave } from '@/app/actions/instances';
import { useLiveAction } from '@/components/providers/useLiveAction';
import { ActionForm } from '@/components/ui/ActionForm';
import { Button } from '@/components/ui/Button';
import { Field } from '@/components/ui/Field';
import { FormStatus } from '@/components/ui/FormStatus';
import { Select } from '@/components/ui/Select';
import { useToast } from '@/components/ui/Toaster';
import { fetchJson } from '@/lib/fetch-json';
import type { ImageChoice, LaunchTemplate } from '@/lib/wire';

type Values = Pick<LaunchTemplate, 'image' | 'cpus' | 'memory' | 'disk' | 'cloudInit'>;
const valuesOf = ({ image, cpus, memory, disk, cloudInit }: LaunchTemplate): Values => ({ image, cpus, memory, disk, cloudInit });

/**
 * "Launch an instance": a template fills the form (name, image from the daemon's find, CPUs,
 * memory, disk, cloud-init); the daemon's own checks come back on their fields. Once the daemon
 * has taken the launch the dialog closes and the page shows its progress.
 */
export function LaunchDialog({ templates }: { templates: LaunchTemplate[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const toast = useToast();
  const [chosen, setChosen] = useState(templates[0]?.name ?? '');
  const [values, setValues] = useState<Values>(valuesOf(templates[0]!));
  const [name, setName] = useState('');
  const [templateName, setTemplateName] = useState('');
  const { state, submit, pending, typed, errors } = useLiveAction(
    launchOrSave,
    (d) => d.message,
    (d) => d.launched && dialog.current?.close(),
  );
  const images = useQuery({
    queryKey: ['images'],
    queryFn: () => fetchJson<ImageChoice[]>('/api/state/images'),
    staleTime: 60_000,
  });
  const template = templates.find((t) => t.name === chosen);

  function choose(name: string) {
    const t = templates.find((x) => x.name === name);
    setChosen(name);
    if (t) setValues(valuesOf(t));
  }
  const set = (k: keyof Values) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [k]: k === 'cpus' ? (e.target.value as unknown as number) : e.target.value }));

  async function removeTemplate() {
    const res = await deleteTemplate(chosen);
    toast(res.ok ? 'ok' : 'error', res.ok ? res.data.message : res.error);
    if (res.ok) choose(templates[0]!.name);
  }

  return (
    <>
      <Button onClick={() => dialog.current?.showModal()}>Launch an instance</Button>
      <dialog
        ref={dialog}
        aria-labelledby="launch-title"
        className="m-auto w-full max-w-2xl rounded-xl border border-zinc-200 bg-white p-6 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h2 id="launch-title" className="mb-4 text-lg font-semibold">
          Launch an instance
        </h2>
        <ActionForm label="Launch an instance" action={submit} typed={typed} className="space-y-3 border-0 p-0">
          <Select label="Template" name="fromTemplate" value={chosen} onChange={(e) => choose(e.target.value)}>
            {templates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
                {t.builtIn ? ' (built in)' : ''}
              </option>
            ))}
          </Select>
          {template ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{template.description}</p> : null}
          <div className="grid gap-3 md:grid-cols-2">
            <Field
              label="Name"
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              errors={errors('name')}
              placeholder="worker1"
            />
            {images.data?.length ? (
              <Select label="Image" name="image" value={values.image} onChange={set('image')} errors={errors('image')}>
                {images.data.map((i) => (
                  <option key={i.release} value={i.aliases[0] ?? i.release}>
                    {i.os} {i.release} ({i.codename})
                  </option>
                ))}
              </Select>
            ) : (
              <Field
                label="Image"
                name="image"
                value={values.image}
                onChange={set('image')}
                errors={errors('image')}
                hint={
                  images.isError ? 'Multipass did not list its images; type one, such as 24.04.' : 'Loading the images Multipass offers…'
                }
              />
            )}
            <Field
              label="CPUs"
              name="cpus"
              inputMode="numeric"
              value={String(values.cpus)}
              onChange={set('cpus')}
              errors={errors('cpus')}
            />
            <Field
              label="Memory"
              name="memory"
              value={values.memory}
              onChange={set('memory')}
              errors={errors('memory')}
              hint="Such as 2G or 512M."
            />
            <Field label="Disk" name="disk" value={values.disk} onChange={set('disk')} errors={errors('disk')} hint="Such as 10G." />
          </div>
          <label className="block space-y-1">
            <span className="block text-sm font-medium">Cloud-init user data</span>
            <textarea
              name="cloudInit"
              rows={5}
              value={values.cloudInit}
              onChange={set('cloudInit')}
              aria-invalid={errors('cloudInit')?.length ? true : undefined}
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
              placeholder="#cloud-config"
            />
            {errors('cloudInit')?.map((e) => (
              <span key={e} className="block text-sm text-red-600 dark:text-red-400">
                {e}
              </span>
            ))}
          </label>
          <FormStatus state={state} done={state?.ok ? state.data.message : ''} />
          <div className="flex flex-wrap items-end gap-2">
            <Button type="submit" name="intent" value="launch" disabled={pending}>
              {pending && typed.intent !== 'save' ? 'Launching…' : 'Launch'}
            </Button>
            <span className="grow" />
            <Field
              label="Save as template"
              name="template"
              value={templateName}
              onChange={(e) => setTemplateName(e.target.value)}
              errors={errors('template')}
              placeholder="my worker"
            />
            <Button type="submit" name="intent" value="save" variant="secondary" disabled={pending}>
              Save template
            </Button>
            {template && !template.builtIn ? (
              <Button type="button" variant="ghost" onClick={() => void removeTemplate()}>
                Delete template {template.name}
              </Button>
            ) : null}
            <Button type="button" variant="ghost" onClick={() => dialog.current?.close()}>
              Close
            </Button>
          </div>
        </ActionForm>
      </dialog>
    </>
  );
}
