import { z } from 'zod';
import { exactObject, InstanceName } from './names';

/** The longest delay `multipass stop --time` is given here: a day. */
export const MAX_STOP_DELAY_MINUTES = 1440;

const instance = { instance: InstanceName };

/**
 * One change to an instance's life, as the Instances page's buttons, their server action and the
 * host API take it; the host role makes it through the Multipass daemon.
 */
export const InstanceChange = z.discriminatedUnion(
  'action',
  [
    exactObject({ ...instance, action: z.literal('start') }),
    exactObject({
      ...instance,
      action: z.literal('stop'),
      delayMinutes: z
        .number({ error: 'Enter the delay in minutes.' })
        .int('The delay is a whole number of minutes.')
        .min(0, 'The delay is 0 (now) or more minutes.')
        .max(MAX_STOP_DELAY_MINUTES, `The delay is at most ${MAX_STOP_DELAY_MINUTES} minutes (a day).`),
    }),
    exactObject({ ...instance, action: z.literal('cancel-stop') }),
    exactObject({ ...instance, action: z.literal('restart') }),
    exactObject({ ...instance, action: z.literal('suspend') }),
    exactObject({ ...instance, action: z.literal('delete'), purge: z.boolean({ error: 'Say whether to purge the instance.' }) }),
  ],
  { error: 'Choose what to do: start, stop, cancel-stop, restart, suspend or delete.' },
);
export type InstanceChange = z.infer<typeof InstanceChange>;

/** A size as Multipass takes one ("2G", "512M", "10GiB"); whether it is enough is the daemon's to say. */
const Size = z
  .string()
  .trim()
  .max(16, 'A size is short, such as 2G or 512M.')
  .regex(/^(\d+(\.\d+)?([KMG](i?B)?)?)?$/i, 'Write a size such as 2G, 512M or 10GiB.');

/** The most cloud-init user data a launch takes here (Multipass has no limit; a template is a page or two). */
export const MAX_CLOUD_INIT = 64 * 1024;

/** A launch as the form, its action and POST /api/host/launches take it; the daemon checks it again (memory, disk, hostname). */
export const LaunchInstance = exactObject({
  name: InstanceName,
  image: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9.:-]{0,63}$/, 'Choose an image from the list (such as 24.04 or noble).'),
  cpus: z
    .number({ error: 'Enter the number of CPUs.' })
    .int('CPUs are a whole number.')
    .min(1, 'At least 1 CPU.')
    .max(64, 'At most 64 CPUs.'),
  memory: Size.min(1, 'Enter the memory, such as 2G.'),
  disk: Size.min(1, 'Enter the disk size, such as 10G.'),
  cloudInit: z.string().max(MAX_CLOUD_INIT, `Cloud-init user data is at most ${MAX_CLOUD_INIT / 1024} KiB here.`),
});
export type LaunchInstance = z.infer<typeof LaunchInstance>;

export const TemplateName = z
  .string()
  .trim()
  .min(1, 'Give the template a name.')
  .max(60, 'A template name has at most 60 characters.')
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'Use letters, digits, spaces and . _ - in a template name.');

/** A launch form's fields kept as a template under its own name (the instance's name is not kept). */
export const SaveTemplate = LaunchInstance.omit({ name: true }).extend({ template: TemplateName });
export type SaveTemplate = z.infer<typeof SaveTemplate>;
