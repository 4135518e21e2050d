/** Readers for /proc/net files. Pure. */

/** The interface of the default route in /proc/net/route (destination 00000000), or null. */
export function defaultRouteInterface(routeTable: string): string | null {
  for (const line of routeTable.split('\n').slice(1)) {
    const [iface, dest, , flags] = line.trim().split(/\s+/);
    if (iface && dest === '00000000' && (parseInt(flags ?? '0', 16) & 1) === 1) return iface;
  }
  return null;
}

/**
 * Local ports with a listening socket, from /proc/net/tcp{,6} (state 0A, LISTEN) or a bound
 * socket from /proc/net/udp{,6} (state 07).
 */
export function listeningPorts(table: string, protocol: 'tcp' | 'udp'): Set<number> {
  const state = protocol === 'tcp' ? '0A' : '07';
  const ports = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (!local || cols[3] !== state) continue;
    const port = parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return ports;
}
