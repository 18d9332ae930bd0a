import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  addressPlanFor,
  inRange,
  ipToNumber,
  isLoopback,
  numberToIp,
} from './addressPlan';
import { allocateAddressPlan } from './allocate';

describe('address plan', () => {
  it('lays out one /16 of loopback per cluster', () => {
    expect(addressPlanFor(61)).toEqual({
      octet: 61,
      nodeIP: '127.61.0.1',
      routerIP: '127.61.0.2',
      podRange: { first: '127.61.1.1', last: '127.61.63.254' },
      serviceRange: { first: '127.61.64.1', last: '127.61.127.254' },
      loadBalancerRange: { first: '127.61.128.1', last: '127.61.128.254' },
    });
    expect(() => addressPlanFor(19)).toThrow(RangeError);
    expect(() => addressPlanFor(251)).toThrow(RangeError);
    expect(() => addressPlanFor(60.5)).toThrow(RangeError);
  });

  it('converts and compares addresses', () => {
    expect(numberToIp(ipToNumber('127.61.128.254'))).toBe('127.61.128.254');
    expect(inRange('127.61.128.7', addressPlanFor(61).loadBalancerRange)).toBe(
      true,
    );
    expect(inRange('127.61.129.1', addressPlanFor(61).loadBalancerRange)).toBe(
      false,
    );
    expect(inRange('garbage', addressPlanFor(61).loadBalancerRange)).toBe(
      false,
    );
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(() => ipToNumber('1.2.3.256')).toThrow();
  });
});

describe('allocateAddressPlan', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nets-test-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('holds a range with a lock file naming its pid until released', async () => {
    const a = await allocateAddressPlan({ lockDir: dir, candidates: [70, 71] });
    const b = await allocateAddressPlan({ lockDir: dir, candidates: [70, 71] });
    expect([a.octet, b.octet]).toEqual([70, 71]);
    expect(b.nodeIP).toBe('127.71.0.1');
    expect(
      (await fs.readFile(path.join(dir, '70.lock'), 'utf8')).split('\n')[0],
    ).toBe(String(process.pid));
    await expect(
      allocateAddressPlan({ lockDir: dir, candidates: [70, 71] }),
    ).rejects.toThrow(/no free address range/);
    a.release();
    a.release();
    await expect(fs.access(path.join(dir, '70.lock'))).rejects.toThrow();
    const c = await allocateAddressPlan({ lockDir: dir, candidates: [70, 71] });
    expect(c.octet).toBe(70);
    // releasing b does not touch c's lock
    b.release();
    expect(await fs.readdir(dir)).toEqual(['70.lock']);
  });

  it('takes over a lock whose owner is dead', async () => {
    const dead = spawnSync('true').pid!; // a pid that has exited
    await fs.writeFile(path.join(dir, '80.lock'), `${dead}\n`);
    const plan = await allocateAddressPlan({ lockDir: dir, candidates: [80] });
    expect(plan.octet).toBe(80);
    expect(
      (await fs.readFile(path.join(dir, '80.lock'), 'utf8')).split('\n')[0],
    ).toBe(String(process.pid));
    plan.release();
  });

  it('never takes a lock whose owner lives', async () => {
    await fs.writeFile(path.join(dir, '90.lock'), `1\n`); // pid 1 always exists
    await expect(
      allocateAddressPlan({ lockDir: dir, candidates: [90] }),
    ).rejects.toThrow(/no free/);
    expect(await fs.readFile(path.join(dir, '90.lock'), 'utf8')).toBe('1\n');
  });

  it('defaults to a random free octet in 20..250', async () => {
    const plan = await allocateAddressPlan({ lockDir: dir });
    expect(plan.octet).toBeGreaterThanOrEqual(20);
    expect(plan.octet).toBeLessThanOrEqual(250);
    plan.release();
  });
});
