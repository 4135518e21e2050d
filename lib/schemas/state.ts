import { z } from 'zod';
import { NamespaceName } from './names';

export const ServicesQuery = z.object({ namespace: NamespaceName.optional() });

export const AUDIT_PAGE_SIZE = 200;

/** A page of the activity log, newest first (`before`: the id of the oldest entry already shown), or all of it as CSV. */
export const AuditPage = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(AUDIT_PAGE_SIZE),
  before: z.coerce.number().int().positive().optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
