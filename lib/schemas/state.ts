import { z } from 'zod';

/** A Kubernetes namespace name (RFC 1123 label). */
export const NamespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'A namespace is lower-case letters, digits and -, at most 63 characters.');

export const ServicesQuery = z.object({ namespace: NamespaceName.optional() });
