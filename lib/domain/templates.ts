import type { LaunchInstance } from '@/lib/schemas/instances';

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
];

/** The built-in templates, then the saved ones by name; a saved one never hides a built-in one. */
export function allTemplates(saved: readonly LaunchTemplate[]): LaunchTemplate[] {
  const builtIn = new Set(BUILT_IN_TEMPLATES.map((t) => t.name.toLowerCase()));
  return [...BUILT_IN_TEMPLATES, ...saved.filter((t) => !builtIn.has(t.name.toLowerCase())).sort((a, b) => a.name.localeCompare(b.name))];
}
