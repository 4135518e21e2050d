import type { LaunchInstance } from '@/lib/schemas/instances';
import { JOIN_PLACEHOLDER, JOIN_TOKEN_HOURS } from './kubeadm-join.mts';

/** A worker's cloud-init: kubeadm and kubelet from the Kubernetes project's apt repository, then the join labgate makes at launch. */
const WORKER_CLOUD_INIT = `#cloud-config
# A Kubernetes worker for the cluster labgate manages. At launch labgate puts in a join command
# with a ${JOIN_TOKEN_HOURS}-hour bootstrap token where the last line says ${JOIN_PLACEHOLDER}.
package_update: true
packages:
  - containerd
  - apt-transport-https
  - ca-certificates
  - curl
  - gpg
runcmd:
  - swapoff -a
  - modprobe br_netfilter
  - sysctl -w net.ipv4.ip_forward=1
  - mkdir -p /etc/apt/keyrings
  - curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.36/deb/Release.key | gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
  - echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.36/deb/ /' > /etc/apt/sources.list.d/kubernetes.list
  - apt-get update && apt-get install -y kubelet kubeadm
  - ${JOIN_PLACEHOLDER}
`;

/** A launch form's starting point: everything but the instance's name. */
export interface LaunchTemplate extends Omit<LaunchInstance, 'name'> {
  name: string; // the template's own name
  builtIn: boolean;
  description: string;
}

/** The templates every labgate has; the person's own are kept in labgate's store beside them. */
export const BUILT_IN_TEMPLATES: readonly LaunchTemplate[] = [
  {
    name: 'Plain Ubuntu',
    builtIn: true,
    description: 'The current Ubuntu LTS with Multipass’s defaults: 1 CPU, 1G of memory, a 5G disk.',
    image: '24.04',
    cpus: 1,
    memory: '1G',
    disk: '5G',
    cloudInit: '',
  },
  {
    name: 'Kubernetes worker',
    builtIn: true,
    description: `Ubuntu 22.04 with kubeadm and kubelet, joined to the cluster labgate manages with a ${JOIN_TOKEN_HOURS}-hour token made at launch: adding a node is this form.`,
    image: '22.04',
    cpus: 2,
    memory: '2G',
    disk: '20G',
    cloudInit: WORKER_CLOUD_INIT,
  },
];

/** The built-in templates, then the saved ones by name; a saved one never hides a built-in one. */
export function allTemplates(saved: readonly LaunchTemplate[]): LaunchTemplate[] {
  const builtIn = new Set(BUILT_IN_TEMPLATES.map((t) => t.name.toLowerCase()));
  return [...BUILT_IN_TEMPLATES, ...saved.filter((t) => !builtIn.has(t.name.toLowerCase())).sort((a, b) => a.name.localeCompare(b.name))];
}
