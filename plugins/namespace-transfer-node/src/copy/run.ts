import type { TransferCheckpoint, TransferPhase } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { EndpointAddress } from '../transport';
import { CopySession } from './session';
import type { CopyOptions, CopyResult, SyncRunResult } from './types';

/**
 * The copy flow as a sequence of idempotent steps, with a checkpoint after each: provision the destination
 * PVC, expose the server, issue credentials, start the server, sync (staged first when asked), clean up.
 * A new process given the checkpoint skips finished steps; each step also finds what a crashed run made.
 */
export async function runCopy(o: CopyOptions): Promise<CopyResult> {
  const session = new CopySession(o);
  const checkpoint: TransferCheckpoint = o.checkpoint ?? {
    transferId: o.spec.id,
    version: 1,
    phase: 'Pending',
    completedSteps: [],
    state: {},
    updatedAt: new Date().toISOString(),
  };
  if (checkpoint.transferId !== o.spec.id) throw new Error(`checkpoint belongs to transfer ${checkpoint.transferId}`);
  const syncs: SyncRunResult[] = (checkpoint.state.syncs as SyncRunResult[] | undefined) ?? [];

  const phase = (p: TransferPhase) => {
    checkpoint.phase = p;
    o.onEvent?.({ type: 'phase', phase: p, at: new Date().toISOString() });
  };
  const step = async <T>(name: string, p: TransferPhase, fn: () => Promise<T>): Promise<T> => {
    if (checkpoint.completedSteps.includes(name) && name in checkpoint.state) return checkpoint.state[name] as T;
    if (checkpoint.phase !== p) phase(p);
    const value = await fn();
    checkpoint.completedSteps.push(name);
    checkpoint.state[name] = value === undefined ? null : value;
    checkpoint.updatedAt = new Date().toISOString();
    o.onEvent?.({ type: 'step', step: name, at: checkpoint.updatedAt });
    await o.onCheckpoint?.(structuredClone(checkpoint));
    return value;
  };

  try {
    await step('provision-destination', 'Provisioning', () => session.provisionDestination());
    const address = await step<EndpointAddress>('expose', 'Exposing', () => session.expose());
    // credentials are never in the checkpoint: a resumed run reads them back from the Secrets
    await step('credentials', 'Exposing', async () => {
      await session.credentials(address);
    });
    const credentials = await session.credentials(address);
    await step('server', 'Exposing', async () => {
      await session.startServer(credentials);
    });
    const stage = o.spec.options?.stage !== false;
    if (stage) {
      await step('sync-stage-1', 'Staging', async () => {
        const r = await session.sync('stage-1', credentials, address, false);
        syncs.push(r);
        if (!r.result.ok) throw new Error(`staging sync failed: ${r.result.errors.join('; ')}`);
        return r;
      });
    }
    await step('sync-final', 'Syncing', async () => {
      const r = await session.sync('final', credentials, address, stage);
      syncs.push(r);
      if (!r.result.ok) throw new Error(`final sync failed: ${r.result.errors.join('; ')}`);
      return r;
    });
    if (!o.skipCleanup) await step('cleanup', 'CleaningUp', () => session.cleanup());
    phase('Succeeded');
    checkpoint.state.syncs = syncs;
    return { syncs, checkpoint };
  } catch (e) {
    if (!o.skipCleanup) {
      phase('CleaningUp');
      await session.cleanup().catch(err => o.onEvent?.({ type: 'warning', message: `cleanup after failure: ${String(err)}` }));
      await session.removeDestination().catch(err => o.onEvent?.({ type: 'warning', message: `removing the destination PVC: ${String(err)}` }));
    }
    phase(o.signal?.aborted ? 'Cancelled' : 'Failed');
    throw e;
  }
}
