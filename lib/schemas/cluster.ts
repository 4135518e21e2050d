import { z } from 'zod';
import { isSystemLabel } from '@/lib/domain/cluster/labels';
import { Port } from './forwards';
import { exactObject, NamespaceName, ResourceName } from './names';

/** Kubernetes' own syntax rules (apimachinery validation): qualified names and label values. */
const NAME_63 = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const LabelKey = z
  .string()
  .min(1, 'Enter a label key.')
  .max(317, 'A label key is at most 253 characters of prefix, a slash and 63 of name.')
  .refine((k) => {
    const slash = k.lastIndexOf('/');
    const [prefix, name] = slash < 0 ? [null, k] : [k.slice(0, slash), k.slice(slash + 1)];
    return NAME_63.test(name) && (prefix === null || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
  }, 'A label key is an optional DNS prefix and a slash, then up to 63 letters, digits, - _ or ., starting and ending with a letter or digit.');

export const LabelValue = z
  .string()
  .max(63, 'A label value has at most 63 characters.')
  .regex(
    /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/,
    'A label value is letters, digits, - _ and ., starting and ending with a letter or digit (or empty).',
  );

const ResourceVersion = z.string().regex(/^\d{1,20}$/, 'Reload: the resource version is missing.');

// Kubernetes' own keys are refused here, as the admission policy (deploy/admission-policy.yaml) refuses them.
const ChangeableLabelKey = LabelKey.refine((k) => !isSystemLabel(k), {
  error: (i) =>
    `${String(i.input)} belongs to Kubernetes itself: labgate changes only labels outside the kubernetes.io and k8s.io prefixes.`,
});
export const SetNodeLabel = exactObject({
  node: ResourceName,
  key: ChangeableLabelKey,
  value: LabelValue.default(''),
  resourceVersion: ResourceVersion,
});
export const RemoveNodeLabel = exactObject({ node: ResourceName, key: ChangeableLabelKey, resourceVersion: ResourceVersion });

export const PatchService = exactObject({
  namespace: NamespaceName,
  name: ResourceName,
  type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'], { error: 'The type is ClusterIP, NodePort or LoadBalancer.' }),
  nodePorts: z.record(z.string().regex(/^\d+$/), z.union([Port, z.null()])).default({}), // service port → nodePort (null: let the cluster pick)
  externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
  resourceVersion: ResourceVersion,
});

export const PinWorkload = exactObject({
  kind: z.enum(['Deployment', 'StatefulSet']),
  namespace: NamespaceName,
  name: ResourceName,
  nodeSelector: z.record(LabelKey, LabelValue).nullable(), // null clears it
});

/** Keys that belong to Kubernetes itself: a person is warned before changing them. */
