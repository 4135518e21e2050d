/**
 * The states the Multipass daemon reports, in the words its CLI prints them (format_utils.cpp,
 * status_string_for; Unavailable with availability zones), with what each means for a forward.
 */
export type StateTone = 'green' | 'amber' | 'gray' | 'red';

interface StateInfo {
  tone: StateTone;
  running: boolean; // it has its addresses and takes traffic
  meaning: string;
}

const STATES: Record<string, StateInfo> = {
  Running: { tone: 'green', running: true, meaning: 'Running: its forwards take traffic.' },
  'Delayed Shutdown': {
    tone: 'amber',
    running: true,
    meaning: 'Running, with a shutdown scheduled: its forwards take traffic until it stops.',
  },
  Starting: { tone: 'amber', running: false, meaning: 'Starting: its forwards take traffic once it runs.' },
  Restarting: { tone: 'amber', running: false, meaning: 'Restarting: its forwards take traffic once it runs again.' },
  Suspending: { tone: 'amber', running: false, meaning: 'Being suspended: its forwards are kept, marked stale.' },
  Suspended: { tone: 'gray', running: false, meaning: 'Suspended: its forwards are kept, marked stale, until it runs again.' },
  Stopped: { tone: 'gray', running: false, meaning: 'Stopped: its forwards are kept, marked stale, until it runs again.' },
  Deleted: { tone: 'gray', running: false, meaning: 'Deleted (it can still be recovered): its forwards are kept, marked stale.' },
  Unavailable: { tone: 'red', running: false, meaning: 'Unavailable: its availability zone is down; its forwards are kept, marked stale.' },
  Unknown: { tone: 'red', running: false, meaning: 'Multipass cannot tell its state: its forwards are kept, marked stale.' },
};

/** What a reported state means; one the daemon may add later reads as Unknown does. */
export function instanceState(state: string): StateInfo & { label: string } {
  const info = Object.hasOwn(STATES, state) ? STATES[state]! : STATES.Unknown!;
  return { ...info, label: Object.hasOwn(STATES, state) ? state : state || 'Unknown' };
}

// The daemon answered but will not serve labgate: what fixes it is on labgate's side, not the daemon's.
const REFUSALS = new Set(['access-denied', 'not-authenticated', 'wrong-passphrase', 'no-passphrase']);

/** A banner's title for why labgate has no fresh word from Multipass. */
export function multipassProblemTitle(kind: string | null | undefined): string {
  return kind && REFUSALS.has(kind) ? 'Multipass does not accept labgate' : 'Multipass is not answering';
}

/** What may be asked of an instance in a state, as the daemon would take it (the rest it refuses). */
export function instanceActions(state: string): ('start' | 'stop' | 'cancel-stop' | 'restart' | 'suspend' | 'delete')[] {
  switch (state) {
    case 'Running':
      return ['stop', 'restart', 'suspend', 'delete'];
    case 'Delayed Shutdown':
      return ['cancel-stop', 'stop', 'restart', 'delete'];
    case 'Stopped':
    case 'Suspended':
      return ['start', 'delete'];
    case 'Deleted':
      return ['delete']; // with purge: gone for good
    case 'Unknown':
    case 'Unavailable':
      return ['stop', 'delete'];
    default:
      return []; // starting, restarting, suspending: wait for it
  }
}

/** The audit log's and the toast's words for a change. */
export const ACTION_WORDS: Record<string, { doing: string; done: string }> = {
  start: { doing: 'Starting', done: 'started' },
  stop: { doing: 'Stopping', done: 'stopped' },
  'cancel-stop': { doing: 'Cancelling the shutdown of', done: 'keeps running: shutdown cancelled' },
  restart: { doing: 'Restarting', done: 'restarted' },
  suspend: { doing: 'Suspending', done: 'suspended' },
  delete: { doing: 'Deleting', done: 'deleted' },
};
