import { Banner } from '@/components/ui/Banner';
import { env } from '@/lib/env';
import { storeFailure, storeHealth } from '@/lib/store/failure';

/** On every page while the store cannot take changes (a full disk, a read-only or damaged store): why, and what to do. */
export function StoreNotice({ message }: { message?: string }) {
  const text = message ?? storeHealth(env().dataDir)?.message;
  if (!text) return null;
  return (
    <Banner tone="error" title="labgate cannot save changes">
      {text.replace(/; nothing was changed\.$/, '.')} Forwards that run now keep running.
    </Banner>
  );
}

/** The store's problem behind a thrown error (for a page that cannot read the store at all), or null: anything else is thrown again. */
export function storeTrouble(e: unknown): string {
  const problem = storeFailure(e, env().dataDir);
  if (!problem) throw e;
  return problem.message;
}
