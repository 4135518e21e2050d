import { formInteger } from './names';

/** The forward form's flat fields → the nested input CreateForward checks (lxd-ui's toNetworkForward). */
export function readForwardForm(form: FormData): unknown {
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
  };
}
