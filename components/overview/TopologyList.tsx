import type { Topology } from '@/lib/domain/views';
import { LanUrl } from '@/components/ui/LanUrl';

/** The topology as a list, for screens too narrow for the picture to stay legible: VMs, their nodes and pods, then what the LAN reaches. */
export function TopologyList({ topology }: { topology: Topology }) {
  return (
    <div className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4 text-sm dark:border-zinc-800 dark:bg-zinc-900">
      <ul aria-label="VMs" className="space-y-3">
        {topology.vms.map((vm) => (
          <li key={vm.name}>
            <p>
              <span className="font-semibold">{vm.name}</span>{' '}
              <span className="font-mono text-xs text-zinc-600 dark:text-zinc-400">
                {vm.address ?? 'no address'} · {vm.state}
              </span>
            </p>
            {vm.node ? (
              <div className="mt-1 ml-3 border-l-2 border-sky-300 pl-3 dark:border-sky-800">
                <p className="text-xs font-semibold">
                  node {vm.node.name}{' '}
                  <span className={vm.node.ready ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}>
                    {vm.node.ready ? 'Ready' : 'NotReady'}
                  </span>
                </p>
                <ul aria-label={`Pods on ${vm.node.name}`} className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">
                  {vm.node.pods.map((p) => (
                    <li key={`${p.namespace}/${p.name}`}>
                      {p.ready ? '●' : '○'} {p.name}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {topology.services.length ? (
        <ul aria-label="NodePort services" className="space-y-2 border-t border-zinc-200 pt-3 dark:border-zinc-800">
          {topology.services.map((s) => (
            <li key={`${s.namespace}/${s.name}`}>
              <span className="font-semibold">{s.name}</span>{' '}
              <span className="text-xs text-zinc-600 dark:text-zinc-400">
                {s.namespace} · {s.type} · on {s.nodes.join(', ') || 'no node'}
              </span>
              {s.urls.map((u) => (
                <span key={u} className="block">
                  LAN: <LanUrl url={u} className="font-mono text-xs" />
                </span>
              ))}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
