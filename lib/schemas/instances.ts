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
export type InstanceAction = InstanceChange['action'];
