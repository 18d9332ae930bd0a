/**
 * Test support: runs one transfer (server side, then client side) with a given mover and transport as
 * local processes, exactly with the containers, configs and scripts the seams produce for pods.
 */
import type { ProgressSample } from '@namespace-transfer/plugin-namespace-transfer-common';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TransferCredentials } from '../pki';
import { containerSecurityContext } from '../permissions';
import {
  mergeSides,
  type ModuleSpec,
  type PodLayout,
  type Ports,
} from '../sides';
import type {
  MoverClientOptions,
  MoverRunResult,
  Transfer,
} from '../transfer/types';
import type { EndpointAddress, SeamContext, Transport } from '../transport';
import {
  freePort,
  materializeSide,
  startContainer,
  stopContainers,
  waitForPort,
  type LocalIdentity,
  type RunningContainer,
} from './localContainers';

export function localLayout(root: string, listenHost: string): PodLayout {
  return {
    dataRoot: join(root, 'data'),
    secretDir: join(root, 'secret'),
    configDir: join(root, 'config'),
    scratchDir: join(root, 'scratch'),
    listenHost,
    listenHostArg: listenHost,
    loopback: '127.0.0.1',
  };
}

export interface LocalServer {
  layout: PodLayout;
  ports: Ports;
  endpoint: EndpointAddress;
  containers: RunningContainer[];
  stop(): Promise<void>;
}

export async function startLocalServer(opts: {
  root: string;
  address: string;
  mover: Transfer;
  transport: Transport;
  credentials: TransferCredentials;
  modules: ModuleSpec[];
  identity: LocalIdentity;
  sni?: string;
}): Promise<LocalServer> {
  const layout = localLayout(opts.root, opts.address);
  const ports: Ports = {
    mover: await freePort('127.0.0.1'),
    exposed: await freePort(opts.address),
    clientLocal: 0,
  };
  const ctx: SeamContext = {
    transferId: opts.credentials.transferId,
    credentials: opts.credentials,
    layout,
    ports,
    image: 'local',
    securityContext: containerSecurityContext(),
  };
  const side = mergeSides(
    opts.transport.server(ctx),
    opts.mover.server({
      ...ctx,
      modules: opts.modules,
      listen: opts.transport.moverListen(ctx),
    }),
  );
  materializeSide(side, layout, opts.identity);
  const env = { POD_IP: opts.address };
  const containers = side.containers.map(c =>
    startContainer(c, env, opts.identity),
  );
  await waitForPort(opts.address, ports.exposed);
  return {
    layout,
    ports,
    endpoint: {
      host: opts.address,
      port: ports.exposed,
      sni: opts.sni ?? `${opts.credentials.transferId}.transfer.example`,
    },
    containers,
    stop: () => stopContainers(containers),
  };
}

export interface LocalClientRun {
  exitCode: number;
  result: MoverRunResult;
  samples: ProgressSample[];
  output: string;
  sidecarsExited: boolean;
}

export async function runLocalClient(opts: {
  root: string;
  mover: Transfer;
  transport: Transport;
  credentials: TransferCredentials;
  modules: ModuleSpec[];
  identity: LocalIdentity;
  endpoint: EndpointAddress;
  options: MoverClientOptions;
  remoteLayout: PodLayout;
  timeoutMs?: number;
}): Promise<LocalClientRun> {
  const layout = localLayout(opts.root, '127.0.0.1');
  mkdirSync(layout.dataRoot, { recursive: true });
  // a pod's emptyDir starts empty: no "done" marker from an earlier run
  rmSync(layout.scratchDir, { recursive: true, force: true });
  const ports: Ports = {
    mover: 0,
    exposed: 0,
    clientLocal: await freePort('127.0.0.1'),
  };
  const ctx: SeamContext = {
    transferId: opts.credentials.transferId,
    credentials: opts.credentials,
    layout,
    ports,
    image: 'local',
    securityContext: containerSecurityContext(),
  };
  const side = mergeSides(
    opts.transport.client(ctx, opts.endpoint),
    opts.mover.client({
      ...ctx,
      modules: opts.modules,
      connect: opts.transport.moverConnect(ctx, opts.endpoint),
      connectReadyFile: opts.transport.clientReadyFile?.(ctx),
      endpoint: opts.endpoint,
      options: opts.options,
      remoteLayout: opts.remoteLayout,
    }),
  );
  materializeSide(side, layout, opts.identity);
  const containers = side.containers.map(c =>
    startContainer(c, { POD_IP: '127.0.0.1' }, opts.identity),
  );
  const moverContainer = containers[containers.length - 1];
  const parser = opts.mover.createOutputParser();
  const samples: ProgressSample[] = [];
  moverContainer.onOutput(chunk => samples.push(...parser.push(chunk)));
  const timeout = new Promise<number>((_, reject) =>
    setTimeout(
      () =>
        reject(new Error(`client did not finish:\n${moverContainer.output()}`)),
      opts.timeoutMs ?? 120_000,
    ).unref(),
  );
  try {
    const exitCode = await Promise.race([moverContainer.exited, timeout]);
    const sidecars = containers.filter(c => c !== moverContainer);
    const sidecarsExited = await Promise.race([
      Promise.all(sidecars.map(c => c.exited)).then(() => true),
      new Promise<boolean>(r => setTimeout(() => r(false), 5000).unref()),
    ]);
    return {
      exitCode,
      result: parser.finish(exitCode),
      samples,
      output: containers.map(c => `--- ${c.name}\n${c.output()}`).join('\n'),
      sidecarsExited,
    };
  } finally {
    await stopContainers(containers);
  }
}
