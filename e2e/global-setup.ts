import { assertInLabNamespace } from '../lab/exec.mts';

/** The app and the browser talk to lab addresses: only from inside the lab. */
export default function globalSetup(): void {
  const prefix = process.env.LABGATE_LAB_PREFIX;
  if (!prefix) throw new Error('end-to-end tests run in the lab: use `npm test`, or `ip netns exec <prefix>host` with `npm run lab -- env`');
  assertInLabNamespace(prefix);
}
