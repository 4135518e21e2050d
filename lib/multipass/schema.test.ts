import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InfoOutput, ListOutput } from './schema';

const fixtures = path.join(__dirname, '..', '..', 'lab', 'fixtures', 'multipass');
const read = (...p: string[]) => JSON.parse(fs.readFileSync(path.join(fixtures, ...p), 'utf8'));

describe('multipass output schemas', () => {
  it.each(['.', 'v1.16.3'])('accept the %s fixtures', (dir) => {
    expect(ListOutput.parse(read(dir, 'list.json')).list).toHaveLength(6);
    expect(ListOutput.parse(read(dir, 'list-empty.json')).list).toHaveLength(0);
    expect(Object.keys(InfoOutput.parse(read(dir, 'info.json')).info).sort()).toEqual(['nfs', 'node1', 'node2', 'node3', 'ops', 'scratch']);
  });

  it.each([
    { name: 'no list', value: {} },
    { name: 'ipv4 not an array', value: { list: [{ name: 'a', state: 'Running', ipv4: '10.0.0.1', release: 'x' }] } },
    { name: 'nameless instance', value: { list: [{ name: '', state: 'Running', ipv4: [], release: 'x' }] } },
  ])('reject $name', ({ value }) => expect(ListOutput.safeParse(value).success).toBe(false));
});
