// What `nstransfer cleanup` does once its arguments are parsed; loaded only then (commands/cleanup.ts: its flags and help).

import {
  describeObject,
  findLabelled,
  removeLabelled,
  restoreStoppedWorkloads,
} from '../cleanup';
import { distinctClusters, loadClusters, type ClusterFlags } from '../clusters';
import { UsageError } from '../exitCodes';
import { isDnsLabel } from '../../naming';
import { readRecords, stateDir } from '../state';

export const cleanupAction = async (
  id: string,
  f: ClusterFlags & {
    includePvcs?: boolean;
    dryRun?: boolean;
    stateDir?: string;
  },
) => {
  if (!isDnsLabel(id)) throw new UsageError(`"${id}" is not a transfer id`);
  const clusters = loadClusters(f);
  const start = (readRecords(stateDir(f.stateDir), id) ?? []).find(
    r => r.type === 'start',
  );
  const ids =
    start?.type === 'start'
      ? [...new Set([id, ...start.transfers.map(t => t.transfer)])]
      : [id];
  let count = 0;
  // the source namespaces: where the run said its claims were, and where its client objects are
  const sourceNamespaces = new Map<string, Set<string>>(
    ids.map(t => [t, new Set<string>()]),
  );
  if (start?.type === 'start')
    for (const t of start.transfers)
      sourceNamespaces.get(t.transfer)?.add(t.pvc.split('/')[0]);
  for (const cluster of distinctClusters(clusters)) {
    for (const transferId of ids) {
      const objects = await findLabelled(cluster, transferId, {
        pvcs: f.includePvcs,
      });
      if (cluster === clusters.source)
        for (const o of objects)
          if (o.namespace && o.kind !== 'PersistentVolumeClaim')
            sourceNamespaces.get(transferId)?.add(o.namespace);
      for (const o of objects)
        process.stdout.write(
          `${f.dryRun ? 'would delete' : 'deleting'} ${describeObject(o)}\n`,
        );
      if (!f.dryRun) await removeLabelled(cluster, objects);
      count += objects.length;
    }
  }
  if (!f.dryRun)
    for (const transferId of ids) {
      const stopped = await restoreStoppedWorkloads(
        clusters.source,
        transferId,
        [...sourceNamespaces.get(transferId)!],
      );
      for (const s of stopped) {
        if (s.moved)
          process.stdout.write(
            `${transferId} finished moving ${s.namespace}/${s.moved.claim} to ${s.moved.to}: its workloads stay stopped\n`,
          );
        for (const w of s.restored)
          process.stdout.write(
            `restored ${w.kind} ${w.namespace}/${w.name} (stopped by ${transferId})\n`,
          );
      }
    }
  process.stdout.write(
    `${f.dryRun ? 'would delete' : 'deleted'} ${count} object(s) labelled with ${ids.length > 1 ? `the ${ids.length - 1} transfers of ` : ''}${id}\n`,
  );
};
