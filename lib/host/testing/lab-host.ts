import { afterAll, afterEach, beforeAll } from 'vitest';
import { rebootFirewall } from '@/lab/controls.mts';
import { labPrefix } from '@/lab/testing.mts';
import { Reconciler } from '../reconciler';
import type { HostService } from '../service';
import { hostService } from '../wiring';

/**
 * A lab test file's host agent: the process's HostService on the lab's real kernel with its
 * reconciler running, from a firewall with only the daemons' own rules, and no forward left
 * behind by any test (a failed one does not get to its own clean-up).
 */
export function labHost(): { readonly host: HostService } {
  const state: { host?: HostService; reconciler?: Reconciler } = {};
  const removeAll = async () => {
    for (const f of state.host?.list() ?? []) await state.host!.remove(f.id, 'test');
  };
  beforeAll(async () => {
    await rebootFirewall(labPrefix());
    state.host = await hostService();
    state.reconciler = new Reconciler(state.host);
    await state.reconciler.start();
  });
  afterEach(removeAll);
  afterAll(async () => {
    state.reconciler?.stop();
    await removeAll();
  });
  return {
    get host() {
      return state.host!;
    },
  };
}
