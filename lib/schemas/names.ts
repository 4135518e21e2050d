import { z } from 'zod';

/** The names labgate accepts, each rule in one place (Kubernetes' apimachinery validation; Multipass's). */
export const ResourceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'Use a Kubernetes name: lower-case letters, digits, - and ., at most 253 characters.');
export const NamespaceName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'A namespace is lower-case letters, digits and -, at most 63 characters.');
export const InstanceName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'Instance names are letters, digits and -, starting with a letter.');
