import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allocateAddressPlan } from '../address/allocate';
import { buildShim } from './shim';
import { PodProcesses } from './testProcesses';

jest.setTimeout(60_000);

// a TCP server that answers every connection with its tag and the peer's address, then closes
const PY_SERVER = `
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen()
print("ready", s.getsockname()[0], s.getsockname()[1], flush=True)
while True:
    c, a = s.accept()
    c.sendall(("%s %s\\n" % (sys.argv[3], a[0])).encode())
    c.close()
`;
const PY_CLIENT = `
import socket, sys
c = socket.create_connection((sys.argv[1], int(sys.argv[2])))
print(c.recv(200).decode().strip())
`;

describe('pod network shim', () => {
  let tmp: string;
  let shim: string;
  let plan: Awaited<ReturnType<typeof allocateAddressPlan>>;
  let procs: PodProcesses;
  let podA: string;
  let podB: string;
  const port = 20000 + Math.floor(Math.random() * 20000);

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'shim-test-'));
    shim = await buildShim({ cacheDir: tmp });
    plan = await allocateAddressPlan();
    podA = `127.${plan.octet}.1.10`;
    podB = `127.${plan.octet}.1.11`;
    procs = new PodProcesses(shim);
  });

  afterEach(async () => {
    await procs.killAll();
  });

  afterAll(async () => {
    plan.release();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('is built once into a cache keyed by the source hash, also under concurrent calls', async () => {
    const again = await Promise.all([
      buildShim({ cacheDir: tmp }),
      buildShim({ cacheDir: tmp }),
    ]);
    expect(again).toEqual([shim, shim]);
    expect(path.basename(shim)).toMatch(/^shim-[0-9a-f]{16}\.so$/);
    const entries = await fs.readdir(tmp);
    expect(entries.filter(e => e.startsWith('shim-build-'))).toEqual([]);
    expect(execFileSync('file', ['-b', shim]).toString()).toMatch(
      /shared object/,
    );
  });

  it('reports a compiler failure', async () => {
    await expect(
      buildShim({ cacheDir: path.join(tmp, 'other'), compiler: '/bin/false' }),
    ).rejects.toThrow(/building the network shim/);
  });

  it('gives two pods their own 127.0.0.1 and 0.0.0.0 on the same port', async () => {
    await procs.start(
      podA,
      'python3',
      ['-c', PY_SERVER, '127.0.0.1', String(port), 'A'],
      `ready ${podA} ${port}`,
    );
    await procs.start(
      podB,
      'python3',
      ['-c', PY_SERVER, '0.0.0.0', String(port), 'B'],
      `ready ${podB} ${port}`,
    );

    // localhost inside a pod is the pod itself, and the server sees the pod IP as the source
    expect(
      (
        await procs.run(podA, 'python3', [
          '-c',
          PY_CLIENT,
          '127.0.0.1',
          String(port),
        ])
      ).trim(),
    ).toBe(`A ${podA}`);
    expect(
      (
        await procs.run(podB, 'python3', [
          '-c',
          PY_CLIENT,
          '127.0.0.1',
          String(port),
        ])
      ).trim(),
    ).toBe(`B ${podB}`);
    // another pod is reached on its pod IP
    expect(
      (
        await procs.run(podB, 'python3', ['-c', PY_CLIENT, podA, String(port)])
      ).trim(),
    ).toBe(`A ${podB}`);
    // a host process without the pod IP is not rewritten: 127.0.0.1 has no listener on that port
    await expect(
      procs.run(undefined, 'python3', [
        '-c',
        PY_CLIENT,
        '127.0.0.1',
        String(port),
      ]),
    ).rejects.toThrow(/Connection refused/);
  });

  const V6_PROBE =
    'import socket\ntry:\n  socket.socket(socket.AF_INET6)\n  print("v6 ok")\nexcept OSError as e:\n  print("errno", e.errno)\n';

  it('refuses IPv6 sockets in a pod so that programs fall back to IPv4', async () => {
    expect((await procs.run(podA, 'python3', ['-c', V6_PROBE])).trim()).toBe(
      'errno 97',
    ); // EAFNOSUPPORT
  });

  // the control for the test above; only meaningful on a host that has IPv6 at all
  const itWithHostIPv6 = existsSync('/proc/net/if_inet6') ? it : it.skip;
  itWithHostIPv6('leaves IPv6 sockets of host processes alone', async () => {
    // eslint-disable-next-line jest/no-standalone-expect -- this is a test block: it or it.skip, picked above
    expect(
      (await procs.run(undefined, 'python3', ['-c', V6_PROBE])).trim(),
    ).toBe('v6 ok');
  });

  it('changes nothing without KUBE_SIM_POD_IP', async () => {
    const out = await procs.run(undefined, 'python3', [
      '-c',
      'import socket\ns=socket.socket()\ns.bind(("127.0.0.1",0))\nprint(s.getsockname()[0])',
    ]);
    expect(out.trim()).toBe('127.0.0.1');
  });

  it('lets node servers that listen on all addresses (:: first) land on the pod IP', async () => {
    const server = `require('net').createServer(s => s.end('node-' + process.env.TAG + ' ' + s.remoteAddress + '\\n'))
      .listen(${port}, function () { const a = this.address(); console.log('ready', a.address, a.family, a.port); })`;
    const a = procs.start(
      podA,
      'node',
      ['-e', server.replace('process.env.TAG', "'A'")],
      `ready ${podA} IPv4 ${port}`,
    );
    const b = procs.start(
      podB,
      'node',
      ['-e', server.replace('process.env.TAG', "'B'")],
      `ready ${podB} IPv4 ${port}`,
    );
    await Promise.all([a, b]);
    const client = `require('net').connect(${port}, '127.0.0.1').on('data', d => process.stdout.write(d))`;
    expect((await procs.run(podB, 'node', ['-e', client])).trim()).toBe(
      `node-B ${podB}`,
    );
    expect((await procs.run(podA, 'node', ['-e', client])).trim()).toBe(
      `node-A ${podA}`,
    );
  });

  it('keeps errno of the real call (connection refused in a pod)', async () => {
    const probe = `import socket, errno\ntry:\n  socket.create_connection(("127.0.0.1", ${port}))\nexcept OSError as e:\n  print(errno.errorcode[e.errno])\n`;
    expect((await procs.run(podA, 'python3', ['-c', probe])).trim()).toBe(
      'ECONNREFUSED',
    );
  });

  it('runs rsync daemons of two pods on 127.0.0.1:873 and an rsync over stunnel between pods', async () => {
    const dirs = {
      A: path.join(tmp, 'rsync-A'),
      B: path.join(tmp, 'rsync-B'),
      dest: path.join(tmp, 'dest'),
    };
    for (const [who, dir] of Object.entries(dirs)) {
      await fs.mkdir(dir, { recursive: true });
      if (who !== 'dest')
        await fs.writeFile(
          path.join(dir, `from-${who}.txt`),
          `data of pod ${who}\n`,
        );
    }
    for (const who of ['A', 'B'] as const) {
      await fs.writeFile(
        path.join(tmp, `rsyncd-${who}.conf`),
        `use chroot = no\nport = 873\naddress = 127.0.0.1\n[data]\npath = ${dirs[who]}\nread only = yes\n`,
      );
    }
    const daemon = (who: 'A' | 'B') => [
      '--daemon',
      '--no-detach',
      `--config=${path.join(tmp, `rsyncd-${who}.conf`)}`,
      `--log-file=${path.join(tmp, `rsyncd-${who}.log`)}`,
    ];
    const rsyncUp = async (pod: string) => {
      for (let i = 0; i < 50; i++) {
        const ok = await procs.run(pod, 'rsync', ['rsync://127.0.0.1/']).then(
          () => true,
          () => false,
        );
        if (ok) return;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`rsync daemon of ${pod} did not come up`);
    };
    procs.start(podA, 'rsync', daemon('A'), /never/).catch(() => undefined);
    procs.start(podB, 'rsync', daemon('B'), /never/).catch(() => undefined);
    await Promise.all([rsyncUp(podA), rsyncUp(podB)]);
    expect(await procs.run(podA, 'rsync', ['rsync://127.0.0.1/data/'])).toMatch(
      /from-A\.txt/,
    );
    expect(await procs.run(podB, 'rsync', ['rsync://127.0.0.1/data/'])).toMatch(
      /from-B\.txt/,
    );

    // pod A: stunnel server on :8443 in front of its rsync daemon; pod B: stunnel client on 127.0.0.1:1873
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=pod-a',
        '-keyout',
        path.join(tmp, 'key.pem'),
        '-out',
        path.join(tmp, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const server = path.join(tmp, 'stunnel-server.conf');
    await fs.writeFile(
      server,
      `foreground = yes\npid =\n[rsync]\naccept = 8443\nconnect = 127.0.0.1:873\ncert = ${tmp}/cert.pem\nkey = ${tmp}/key.pem\n`,
    );
    const client = path.join(tmp, 'stunnel-client.conf');
    await fs.writeFile(
      client,
      `foreground = yes\npid =\n[rsync]\nclient = yes\naccept = 127.0.0.1:1873\nconnect = ${podA}:8443\nverifyPeer = yes\nCAfile = ${tmp}/cert.pem\n`,
    );
    await procs.start(podA, 'stunnel4', [server], /Configuration successful/);
    await procs.start(podB, 'stunnel4', [client], /Configuration successful/);
    await procs.run(podB, 'rsync', [
      '-a',
      'rsync://127.0.0.1:1873/data/',
      `${dirs.dest}/`,
    ]);
    expect(await fs.readFile(path.join(dirs.dest, 'from-A.txt'), 'utf8')).toBe(
      'data of pod A\n',
    );
    // the daemon saw the connection from its own stunnel (pod A's IP), not from the host
    expect(await fs.readFile(path.join(tmp, 'rsyncd-A.log'), 'utf8')).toContain(
      podA,
    );
  });

  it('lets two openssl s_server pods share :8443', async () => {
    for (const who of ['a', 'b']) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:P-256',
          '-nodes',
          '-days',
          '1',
          '-subj',
          `/CN=pod-${who}`,
          '-keyout',
          path.join(tmp, `${who}.key`),
          '-out',
          path.join(tmp, `${who}.crt`),
        ],
        { stdio: 'ignore' },
      );
    }
    const serve = (who: string) => [
      's_server',
      '-accept',
      '8443',
      '-cert',
      path.join(tmp, `${who}.crt`),
      '-key',
      path.join(tmp, `${who}.key`),
      '-www',
    ];
    await procs.start(podA, 'openssl', serve('a'), 'ACCEPT');
    await procs.start(podB, 'openssl', serve('b'), 'ACCEPT');
    const subject = (pod: string) =>
      procs.run(pod, 'openssl', ['s_client', '-connect', '127.0.0.1:8443'], {
        input: '',
      });
    expect(await subject(podA)).toMatch(/subject=CN ?= ?pod-a/);
    expect(await subject(podB)).toMatch(/subject=CN ?= ?pod-b/);
  });
});
