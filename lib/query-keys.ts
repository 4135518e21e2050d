/** TanStack Query keys, from one place. Everything under `state` refreshes on a live change. */
export const queryKeys = {
  state: ['state'] as const,
  overview: ['state', 'overview'] as const,
  instances: ['state', 'instances'] as const,
  launches: ['state', 'launches'] as const,
  nodes: ['state', 'nodes'] as const,
  services: (namespace = 'all') => ['state', 'services', namespace] as const,
  forwards: ['state', 'forwards'] as const,
  hostStatus: ['state', 'host-status'] as const,
};
