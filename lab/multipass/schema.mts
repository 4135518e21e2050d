// The real CLI's JSON formats, as the lab's CLI stand-in must print them (checked against lab/fixtures).
import { z } from 'zod';

/**
 * `multipass list|info --format json`, in both formats seen in the wild: the latest release
 * (v1.16.3) and main with availability zones. Unknown fields are ignored; types are the CLI's
 * own (cpu_count, snapshot_count and disk sizes are strings, memory sizes numbers).
 */
const Zone = z.object({ name: z.string(), available: z.boolean() });

export const ListOutput = z.object({
  list: z.array(
    z.object({
      name: z.string().min(1),
      state: z.string(),
      ipv4: z.array(z.string()),
      release: z.string(),
      zone: Zone.optional(),
    }),
  ),
});
export type ListOutput = z.infer<typeof ListOutput>;

const Mount = z.object({
  source_path: z.string(),
  uid_mappings: z.array(z.string()).optional(),
  gid_mappings: z.array(z.string()).optional(),
});

export const InfoEntry = z.object({
  state: z.string(),
  image_hash: z.string().optional(),
  image_release: z.string().optional(),
  release: z.string().optional(),
  cpu_count: z.string().optional(),
  snapshot_count: z.string().optional(),
  load: z.array(z.number()).optional(),
  disks: z.record(z.string(), z.object({ used: z.string().optional(), total: z.string().optional() })).optional(),
  memory: z.object({ used: z.number().optional(), total: z.number().optional() }).optional(),
  ipv4: z.array(z.string()),
  mounts: z.record(z.string(), Mount).optional(),
  zone: Zone.optional(),
});

export const InfoOutput = z.object({
  errors: z.array(z.unknown()),
  info: z.record(z.string(), InfoEntry),
});
export type InfoOutput = z.infer<typeof InfoOutput>;
