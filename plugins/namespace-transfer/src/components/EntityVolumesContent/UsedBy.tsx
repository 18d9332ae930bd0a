import { StatusWarning } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  Volume,
  VolumeWorkloadRef,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatTime } from './formatTime';

const key = (o: { kind: string; name: string }) => `${o.kind}/${o.name}`;

/** "stopped by transfer <id> at <time>": why a workload runs no pods, and who gives it back. */
function HeldBy({ workload }: { workload: VolumeWorkloadRef }) {
  const { quiescedBy, quiescedAt } = workload;
  if (!quiescedBy) return null;
  return (
    <Typography
      variant="caption"
      display="block"
      color="textSecondary"
      title={quiescedAt}
    >
      {`stopped by transfer ${quiescedBy}${quiescedAt ? ` at ${formatTime(quiescedAt)}` : ''}`}
    </Typography>
  );
}

/**
 * Workloads first (what a person scales, and the transfer holding one stopped), then what a transfer
 * cannot stop, as a warning with the reason and what to do, then the pods running right now.
 */
export function UsedBy({ usedBy }: { usedBy: Volume['usedBy'] }) {
  const unstoppable = usedBy.unstoppable ?? [];
  // an unstoppable workload is also in `workloads`: it is named once, with its warning
  const cannotStop = new Set(unstoppable.map(key));
  const workloads = usedBy.workloads.filter(w => !cannotStop.has(key(w)));
  if (
    workloads.length === 0 &&
    unstoppable.length === 0 &&
    usedBy.pods.length === 0
  ) {
    return (
      <Typography variant="body2" color="textSecondary">
        not mounted
      </Typography>
    );
  }
  return (
    <div>
      {workloads.map(w => (
        <div key={key(w)}>
          <Typography variant="body2">
            {w.kind} {w.name}
            {w.replicas !== undefined
              ? ` (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`
              : ''}
          </Typography>
          <HeldBy workload={w} />
        </div>
      ))}
      {unstoppable.map(u => (
        <div key={key(u)}>
          <Typography variant="body2" component="div">
            <StatusWarning>{`${u.kind} ${u.name}: a transfer cannot stop it`}</StatusWarning>
          </Typography>
          <Typography variant="caption" display="block">
            {u.reason}
          </Typography>
        </div>
      ))}
      {usedBy.pods.map(p => (
        <Typography
          key={p.name}
          variant="caption"
          display="block"
          color="textSecondary"
        >
          Pod {p.name}
          {p.phase ? ` · ${p.phase}` : ''}
        </Typography>
      ))}
    </div>
  );
}
