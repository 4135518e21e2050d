import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainsOf, parseSave, printSave, rulesOf, SaveParseError } from './save-parse';

const dir = path.join(__dirname, '..', '..', '..', 'lab', 'fixtures', 'iptables');
const dumps = fs.readdirSync(dir).filter((f) => f.endsWith('.txt') && !f.includes('iptables-L'));

describe('parseSave', () => {
  it.each(dumps)('reads %s and prints it back byte for byte', (file) => {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    expect(printSave(parseSave(text))).toBe(text);
  });

  it('knows tables, chains, policies, counters and rules', () => {
    const p = parseSave(fs.readFileSync(path.join(dir, 'docker28-forward-chains-nft.txt'), 'utf8'));
    expect(chainsOf(p, 'filter').find((c) => c.name === 'FORWARD')?.policy).toBe('DROP');
    expect(chainsOf(p, 'filter').map((c) => c.name)).toEqual(expect.arrayContaining(['DOCKER-USER', 'DOCKER-FORWARD']));
    expect(rulesOf(p, 'filter', 'DOCKER-USER')).toEqual([]);
    const counted = parseSave(fs.readFileSync(path.join(dir, 'firewalld-libvirt-counters-fedora27.txt'), 'utf8'));
    expect(rulesOf(counted, 'filter')[0]?.counters).toMatch(/^\[\d+:\d+\]$/);
  });

  it('keeps comments with spaces, colons and semicolons intact', () => {
    const p = parseSave(fs.readFileSync(path.join(dir, 'kubeadm-flannel-node-nft.txt'), 'utf8'));
    expect(
      rulesOf(p, 'nat').some((r) => r.text.includes('"kubernetes service nodeports; NOTE: this must be the last rule in this chain"')),
    ).toBe(true);
  });

  it.each([
    { name: 'iptables -L output', text: fs.readFileSync(path.join(dir, 'multipass-docker-libvirt-ufw.iptables-L.txt'), 'utf8') },
    { name: 'a rule outside a table', text: '-A INPUT -j ACCEPT\n' },
    { name: 'an unfinished table', text: '*filter\n:INPUT ACCEPT [0:0]\n' },
    { name: 'nonsense in a table', text: '*filter\nhello\nCOMMIT\n' },
  ])('refuses $name', ({ text }) => expect(() => parseSave(text)).toThrow(SaveParseError));
});
