import type { InstanceRecord } from '@/lib/domain/records';
import type { InfoOutput } from './schema';

const num = (s: string | undefined) => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? null : Number(s));

/** `multipass info` → records, sorted by name (the daemon's order means nothing). */
export function toInstanceRecords(out: InfoOutput): InstanceRecord[] {
  return Object.entries(out.info)
    .map(([name, i]): InstanceRecord => {
      const disk = Object.values(i.disks ?? {})[0];
      const diskUsed = num(disk?.used);
      const diskTotal = num(disk?.total);
      return {
        name,
        state: i.state,
        ipv4: i.ipv4.filter((a) => a !== 'N/A'),
        release: i.release || null,
        imageRelease: i.image_release || null,
        cpuCount: num(i.cpu_count),
        memory: i.memory?.used !== undefined && i.memory.total !== undefined ? { used: i.memory.used, total: i.memory.total } : null,
        disk: diskUsed !== null && diskTotal !== null ? { used: diskUsed, total: diskTotal } : null,
        load: i.load ?? [],
        zone: i.zone?.name ?? null,
        mounts: Object.keys(i.mounts ?? {}).sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
