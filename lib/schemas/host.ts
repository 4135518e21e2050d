import { z } from 'zod';
import { exactObject } from './names';

/** POST /api/host/audit: what the ui role records. No actor: the server sets it from how the request authenticated. */
export const AuditRecord = exactObject({
  action: z.string().regex(/^[a-z.]{1,40}$/),
  subject: z.string().max(300),
  detail: z.string().max(2000),
  result: z.string().max(2000),
});

/** POST /api/host/journal: an operation's progress as the ui role writes it (its steps checked where they are read back). */
export const JournalPut = exactObject({
  id: z.string().regex(/^[a-z0-9]{6,24}$/),
  operation: z.string().regex(/^[a-z.]{1,40}$/),
  state: z.enum(['running', 'done', 'undone', 'failed']),
  steps: z.unknown(),
});
