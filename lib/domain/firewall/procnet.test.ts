import { describe, expect, it } from 'vitest';
import { defaultRouteInterface, listeningPorts } from './procnet';

const route = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
mpqemubr0	00347A0A	00000000	0001	0	0	0	00FFFFFF	0	0	0
enp3s0	00000000	0132A8C0	0003	0	0	0	00000000	0	0	0
enp3s0	0032A8C0	00000000	0001	0	0	0	00FFFFFF	0	0	0
`;
const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 100 0 0 10 0
   2: 1B32A8C0:0BB8 0A32A8C0:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0
`;
const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 100 0 0 10 0
`;

describe('/proc/net readers', () => {
  it('finds the default route interface', () => {
    expect(defaultRouteInterface(route)).toBe('enp3s0');
    expect(
      defaultRouteInterface(
        route
          .split('\n')
          .filter((l) => !l.includes('0132A8C0'))
          .join('\n'),
      ),
    ).toBeNull();
  });

  it('lists listening TCP ports, not established ones', () => {
    expect([...listeningPorts(tcp, 'tcp')].sort()).toEqual([3000, 8080]);
    expect([...listeningPorts(tcp6, 'tcp')]).toEqual([443]);
    expect([...listeningPorts(tcp, 'udp')]).toEqual([]);
  });
});
