/** A label key in Kubernetes' own prefixes (node-role.kubernetes.io/…, node.k8s.io/…): labgate never changes those. Pure. */
export const isSystemLabel = (key: string) => /(^|\.)(kubernetes\.io|k8s\.io)\//.test(key);
