// kubectl arguments the tests use to put a lab Service back as the lab starts it (no imports: e2e
// specs load this too).

/** A Service the test made a NodePort, back to ClusterIP: its first port's nodePort and its traffic policy gone. */
export function backToClusterIpArgs(namespace: string, name: string): string[] {
  const patch = [
    { op: 'replace', path: '/spec/type', value: 'ClusterIP' },
    { op: 'remove', path: '/spec/ports/0/nodePort' },
  ];
  return ['patch', 'service', '-n', namespace, name, '--type=json', '-p', JSON.stringify(patch)];
}
