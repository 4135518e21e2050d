/**
 * For crash tests: opens and closes forwards as fast as it can until it is killed. Run inside
 * the lab's host namespace with the lab's environment and the test's data dir.
 */
import { hostService } from '@/lib/host/wiring';

async function main(): Promise<never> {
  const host = await hostService();
  for (let i = 0; ; i++) {
    const res = await host.create(
      { name: `crash ${i}`, listenPort: 41000 + (i % 40), target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      'crash-worker',
    );
    if (res.ok && i % 3 !== 0) await host.remove(res.data.id, 'crash-worker');
    process.stdout.write(res.ok ? '.' : 'x');
  }
}

void main();
