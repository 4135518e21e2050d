// Global setup of the lab test suites: refuse to run anywhere but inside the lab.
import { assertInLabNamespace } from './exec.mts';

export default function setup(): void {
  const prefix = process.env.LABGATE_LAB_PREFIX;
  if (!prefix)
    throw new Error(
      'lab tests need LABGATE_LAB_PREFIX: run them through `npm test`, or inside `ip netns exec <prefix>host` with the lab env',
    );
  assertInLabNamespace(prefix);
}
