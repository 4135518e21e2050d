import { splitSources } from '@/lib/domain/network/networks';
import { formInteger } from './names';

/** The access field's choices: everyone on the LAN, the listed sources, or only the device that sends the form. */
export type AccessChoice = 'lan' | 'list' | 'device';

/**
 * The access field → an access rule: none (everyone; null on an edit, which takes a rule away),
 * the listed sources (split on commas, spaces and lines), or the sending device's own address —
 * which only the server knows (`device`), never the form.
 */
export function readAccess(form: FormData, device: string | null): string[] | null | undefined {
  const choice = form.get('access');
  if (choice === 'device') return device ? [device] : ['this device (its address is not known)'];
  if (choice !== 'list') return null;
  const listed = form.get('allowFrom');
  return typeof listed === 'string' ? splitSources(listed) : [];
}

/** The forward form's flat fields → the nested input CreateForward checks (lxd-ui's toNetworkForward). */
export function readForwardForm(form: FormData, device: string | null = null): unknown {
  const get = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  const kind = get('targetKind');
  const port = formInteger(get('targetPort'));
  const target =
    kind === 'instance'
      ? { kind, name: get('targetInstance'), port }
      : kind === 'service'
        ? { kind, namespace: get('targetNamespace'), name: get('targetService'), port }
        : { kind: 'static', ip: get('targetIp'), port };
  return {
    name: get('name'),
    protocol: get('protocol') ?? 'tcp',
    listenPort: formInteger(get('listenPort')),
    listenAddress: get('listenAddress'),
    target,
    description: get('description') ?? '',
    lanName: get('lanName')?.toLowerCase(),
    allowFrom: readAccess(form, device) ?? undefined, // everyone: no rule (an edit sends null itself)
  };
}
