import type { V1Service } from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  loadBalancerNames,
  renderClusterRecords,
  renderHostsFile,
  writeInPlace,
} from './hostsFile';
import { sliceOf } from '../kube/staticInformer';
import type { ServiceEndpoints } from '../kube/serviceEndpoints';

const svc = (ns: string, name: string, spec: V1Service['spec']): V1Service => ({
  metadata: { namespace: ns, name },
  spec,
});

describe('cluster DNS hosts file', () => {
  it('maps every Service with a ClusterIP, headless Services to their ready endpoints', () => {
    const endpoints: Record<string, ServiceEndpoints> = {
      'data/db': [
        sliceOf(
          [{ port: 5432 }],
          [{ ip: '127.61.1.5', hostname: 'db-0' }, '127.61.1.6'],
          ['127.61.1.7'],
        ),
      ],
    };
    const records = renderClusterRecords(
      [
        svc('data', 'web', {
          clusterIP: '127.61.64.10',
          ports: [{ port: 80 }],
        }),
        svc('data', 'db', { clusterIP: 'None', ports: [{ port: 5432 }] }),
        svc('data', 'ext', {
          type: 'ExternalName',
          externalName: 'example.com',
        }),
        svc('app', 'api', { clusterIP: '127.61.64.3', ports: [{ port: 443 }] }),
      ],
      (ns, name) => endpoints[`${ns}/${name}`],
    );
    expect(records).toEqual([
      '127.61.64.3 api.app.svc.cluster.local api.app.svc',
      '127.61.1.5 db.data.svc.cluster.local db.data.svc',
      '127.61.1.5 db-0.db.data.svc.cluster.local db-0.db.data.svc',
      '127.61.1.6 db.data.svc.cluster.local db.data.svc',
      '127.61.64.10 web.data.svc.cluster.local web.data.svc',
    ]);
  });

  it('maps localhost to 127.0.0.1 only and appends the world names', () => {
    const text = renderHostsFile(
      ['127.61.64.3 api.app.svc.cluster.local api.app.svc'],
      '# east\n127.61.0.2 a.apps.east\n',
    );
    const lines = text.split('\n').filter(l => l && !l.startsWith('#'));
    expect(lines).toEqual([
      '127.0.0.1 localhost',
      '127.61.64.3 api.app.svc.cluster.local api.app.svc',
      '127.61.0.2 a.apps.east',
    ]);
    expect(text).not.toMatch(/::1/);
  });

  it('publishes LoadBalancer hostnames that come with an address', () => {
    const lb = (
      name: string,
      ingress: Array<{ ip?: string; hostname?: string }>,
      type = 'LoadBalancer',
    ): V1Service => ({
      metadata: { namespace: 'ns', name },
      spec: { type },
      status: { loadBalancer: { ingress } },
    });
    expect(
      loadBalancerNames([
        lb('a', [{ ip: '127.61.128.9', hostname: 'a.lb.test' }]),
        lb('b', [{ ip: '127.61.128.1' }]),
        lb('c', [{ hostname: 'c.lb.test' }]),
        lb('d', [{ ip: '10.0.0.1', hostname: 'outside.test' }]),
        lb('e', [{ ip: '127.61.128.2', hostname: 'e.lb.test' }], 'ClusterIP'),
      ]),
    ).toEqual([{ ip: '127.61.128.9', name: 'a.lb.test' }]);
  });

  it('rewrites the file in place, keeping its inode for bind mounts', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hosts-test-'));
    try {
      const file = path.join(dir, 'dns', 'hosts');
      expect(await writeInPlace(file, 'a long first content\n')).toBe(true);
      const inode = (await fs.stat(file)).ino;
      expect(await writeInPlace(file, 'short\n')).toBe(true);
      expect(await fs.readFile(file, 'utf8')).toBe('short\n');
      expect((await fs.stat(file)).ino).toBe(inode);
      expect(await writeInPlace(file, 'short\n')).toBe(false);
      expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
