import type {
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MountError, prepareVolumes, VolumeSources } from './prepare';
import { setVolumeOwnership } from './ownership';

describe('prepareVolumes', () => {
  let dir: string;
  let pvDir: string;
  let pvc: V1PersistentVolumeClaim | undefined;
  let pv: V1PersistentVolume | undefined;
  const src: VolumeSources = {
    pvc: async () => pvc,
    pv: async () => pv,
    secret: async (_ns, name) =>
      name === 'creds'
        ? {
            data: {
              user: Buffer.from('admin').toString('base64'),
              pass: Buffer.from('s3cret').toString('base64'),
            },
          }
        : undefined,
    configMap: async (_ns, name) =>
      name === 'cfg' ? { data: { 'a.conf': 'x=1' } } : undefined,
  };

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelet-vol-'));
    pvDir = path.join(dir, 'pv');
    await fs.mkdir(pvDir);
    await fs.writeFile(path.join(pvDir, 'old.txt'), 'x', { mode: 0o600 });
    pvc = {
      metadata: { name: 'data', namespace: 'ns', uid: 'pvc-uid' },
      spec: { volumeName: 'pv1' },
      status: { phase: 'Bound' },
    };
    pv = {
      metadata: { name: 'pv1' },
      spec: {
        hostPath: { path: pvDir },
        claimRef: { name: 'data', namespace: 'ns', uid: 'pvc-uid' },
      },
    };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const pod = (volumes: object[], fsGroup?: number): V1Pod =>
    ({
      metadata: { name: 'p', namespace: 'ns', uid: 'u', labels: { app: 'x' } },
      spec: {
        securityContext: fsGroup === undefined ? {} : { fsGroup },
        containers: [{ name: 'c' }],
        volumes,
      },
    }) as V1Pod;
  const prepare = (p: V1Pod) =>
    prepareVolumes({
      pod: p,
      podDir: path.join(dir, 'pod'),
      podIP: '127.1.1.1',
      hostIP: '127.1.0.1',
      src,
    });

  it('projects secrets with items and modes, applying fsGroup read-only like the kubelet', async () => {
    const vols = await prepare(
      pod(
        [
          {
            name: 's',
            secret: {
              secretName: 'creds',
              defaultMode: 0o400,
              items: [
                { key: 'pass', path: 'dir/password' },
                { key: 'user', path: 'username', mode: 0o600 },
              ],
            },
          },
          { name: 'c', configMap: { name: 'cfg' } },
          {
            name: 'd',
            downwardAPI: {
              items: [
                { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              ],
            },
          },
        ],
        2000,
      ),
    );
    const s = vols.get('s')!;
    expect(s.readOnly).toBe(true);
    expect(
      await fs.readFile(path.join(s.hostPath, 'dir/password'), 'utf8'),
    ).toBe('s3cret');
    const pw = await fs.stat(path.join(s.hostPath, 'dir/password'));
    expect(pw.mode & 0o777).toBe(0o440); // 0400 | group read from fsGroup
    expect(pw.gid).toBe(2000);
    expect(
      (await fs.stat(path.join(s.hostPath, 'username'))).mode & 0o777,
    ).toBe(0o640);
    expect(
      (await fs.lstat(path.join(s.hostPath, 'username'))).isSymbolicLink(),
    ).toBe(true);
    expect(
      await fs.readFile(path.join(vols.get('c')!.hostPath, 'a.conf'), 'utf8'),
    ).toBe('x=1');
    expect(
      await fs.readFile(path.join(vols.get('d')!.hostPath, 'labels'), 'utf8'),
    ).toBe('app="x"');
  });

  it('mounts a bound PVC with fsGroup ownership and setgid directories', async () => {
    const vols = await prepare(
      pod(
        [
          { name: 'v', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'e', emptyDir: {} },
        ],
        2000,
      ),
    );
    expect(vols.get('v')).toEqual({ hostPath: pvDir, readOnly: false });
    const root = await fs.stat(pvDir);
    expect(root.gid).toBe(2000);
    expect(root.mode & 0o2070).toBe(0o2070);
    const f = await fs.stat(path.join(pvDir, 'old.txt'));
    expect(f.mode & 0o777).toBe(0o660);
    expect((await fs.stat(vols.get('e')!.hostPath)).mode & 0o2777).toBe(0o2777);
  });

  it('fails with MountError while the claim is missing, unbound or a secret is absent', async () => {
    pvc!.status = { phase: 'Pending' };
    await expect(
      prepare(
        pod([{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }]),
      ),
    ).rejects.toThrow(MountError);
    pvc = undefined;
    await expect(
      prepare(
        pod([{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }]),
      ),
    ).rejects.toThrow(/not found/);
    await expect(
      prepare(pod([{ name: 's', secret: { secretName: 'nope' } }])),
    ).rejects.toThrow(
      /MountVolume.SetUp failed for volume "s" : secret "nope" not found/,
    );
    expect(
      (
        await prepare(
          pod([{ name: 's', secret: { secretName: 'nope', optional: true } }]),
        )
      ).has('s'),
    ).toBe(true);
  });
});

describe('setVolumeOwnership', () => {
  it('skips the walk with OnRootMismatch when the root already matches', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kubelet-own-'));
    try {
      await fs.writeFile(path.join(dir, 'f'), 'x', { mode: 0o600 });
      await fs.chown(dir, 0, 3000);
      await fs.chmod(dir, 0o2770);
      await setVolumeOwnership(dir, 3000, false, 'OnRootMismatch');
      expect((await fs.stat(path.join(dir, 'f'))).gid).toBe(0);
      await setVolumeOwnership(dir, 3000, false, 'Always');
      expect((await fs.stat(path.join(dir, 'f'))).gid).toBe(3000);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
