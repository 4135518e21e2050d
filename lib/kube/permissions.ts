/**
 * Every Kubernetes permission labgate uses, and why. deploy/rbac.yaml grants exactly these (a
 * test holds them equal) and `labgate doctor` checks each with a SelfSubjectAccessReview.
 */
export interface Permission {
  group: '' | 'apps' | 'admissionregistration.k8s.io';
  resource: string;
  verbs: readonly ('get' | 'list' | 'watch' | 'patch' | 'create')[];
  resourceNames?: readonly string[]; // only these objects
  namespace?: string; // only in this namespace (a Role there, not the ClusterRole)
  why: string;
}

/** deploy/admission-policy.yaml's policy and binding. */
export const ADMISSION_POLICY = 'labgate-least-privilege';

export const PERMISSIONS: readonly Permission[] = [
  { group: '', resource: 'nodes', verbs: ['list', 'watch', 'patch'], why: 'the Nodes view; node labels' },
  { group: '', resource: 'pods', verbs: ['list', 'watch'], why: "which node each service's pods run on" },
  { group: '', resource: 'services', verbs: ['get', 'list', 'watch', 'patch'], why: 'the Services view; type and nodePorts (Expose)' },
  { group: '', resource: 'namespaces', verbs: ['list', 'watch'], why: 'the namespace filter' },
  { group: 'apps', resource: 'deployments', verbs: ['list', 'watch', 'patch'], why: 'pinning a Deployment to nodes' },
  { group: 'apps', resource: 'statefulsets', verbs: ['list', 'watch', 'patch'], why: 'pinning a StatefulSet to nodes' },
  {
    group: '',
    resource: 'secrets',
    verbs: ['create'],
    namespace: 'kube-system',
    why: 'a Kubernetes worker launch: its one-hour bootstrap token (the admission policy allows that type and name only)',
  },
  {
    group: 'admissionregistration.k8s.io',
    resource: 'validatingadmissionpolicies',
    verbs: ['get'],
    resourceNames: [ADMISSION_POLICY],
    why: 'doctor: is the admission policy installed',
  },
  {
    group: 'admissionregistration.k8s.io',
    resource: 'validatingadmissionpolicybindings',
    verbs: ['get'],
    resourceNames: [ADMISSION_POLICY],
    why: 'doctor: is the admission policy bound',
  },
];

/** "patch on services", "list on deployments.apps": the words the UI and doctor use. */
export const permissionName = (verb: string, p: Pick<Permission, 'group' | 'resource'>) =>
  `${verb} on ${p.group ? `${p.resource}.${p.group}` : p.resource}`;
