import { describe, expect, it } from 'vitest';
import { cloudInitPackages, findImage, LAUNCH_ERRORS, launchErrors, parseMemorySize, validHostname } from './launch.mts';

const args = { name: 'worker1', image: 'lts', cpus: 2, memory: '2G', disk: '10G', userData: '' };

describe('the stand-in daemon’s launch checks', () => {
  it.each([
    ['1G', 1024 ** 3],
    ['512M', 512 * 1024 ** 2],
    ['2.5GiB', 2.5 * 1024 ** 3],
    ['1024', 1024],
    ['4gb', 4 * 1024 ** 3],
    ['1.5', null],
    ['lots', null],
    ['-1G', null],
    ['', null],
  ])('%s reads as %s bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes);
  });

  it.each([
    ['worker1', true],
    ['w', true],
    ['k8s-worker-2', true],
    ['2worker', false],
    ['worker-', false],
    ['wor_ker', false],
  ])('hostname %s valid: %s', (name, ok) => {
    expect(validHostname(name)).toBe(ok);
  });

  it.each([
    { change: {}, errors: [] },
    { change: { memory: '', disk: '' }, errors: [] }, // the defaults
    { change: { memory: '64M' }, errors: [LAUNCH_ERRORS.INVALID_MEM_SIZE] },
    { change: { memory: 'lots' }, errors: [LAUNCH_ERRORS.INVALID_MEM_SIZE] },
    { change: { disk: '100M' }, errors: [LAUNCH_ERRORS.INVALID_DISK_SIZE] },
    { change: { name: 'bad_name' }, errors: [LAUNCH_ERRORS.INVALID_HOSTNAME] },
    {
      change: { name: '-x', memory: '1K', disk: 'x' },
      errors: [LAUNCH_ERRORS.INVALID_MEM_SIZE, LAUNCH_ERRORS.INVALID_DISK_SIZE, LAUNCH_ERRORS.INVALID_HOSTNAME],
    },
  ])('$change → $errors', ({ change, errors }) => {
    expect(launchErrors({ ...args, ...change })).toEqual(errors);
  });

  it('finds images by alias, the current LTS by default', () => {
    expect(findImage('')?.release).toBe('24.04 LTS');
    expect(findImage('jammy')?.release).toBe('22.04 LTS');
    expect(findImage('22.04')?.codename).toBe('jammy');
    expect(findImage('windows')).toBeNull();
  });
});

describe('cloud-init packages', () => {
  it.each([
    ['#cloud-config\npackages:\n  - nginx\n  - curl\n', ['nginx', 'curl']],
    ['#cloud-config\npackages: [nginx]\n', ['nginx']],
    ['packages: [nginx]\n', []], // no cloud-config header: a script, not a config
    ['#cloud-config\npackages: nginx\n', []],
    ['#cloud-config\n: : bad', []],
    ['', []],
  ])('%j → %j', (userData, packages) => {
    expect(cloudInitPackages(userData)).toEqual(packages);
  });
});
