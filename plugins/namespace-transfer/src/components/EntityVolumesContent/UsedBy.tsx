import Typography from '@material-ui/core/Typography';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';

/** Workloads first (what a person scales), then the pods running right now. */
export function UsedBy({ usedBy }: { usedBy: Volume['usedBy'] }) {
  if (usedBy.workloads.length === 0 && usedBy.pods.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        not mounted
      </Typography>
    );
  }
  return (
    <div>
      {usedBy.workloads.map(w => (
        <Typography key={`${w.kind}/${w.name}`} variant="body2">
          {w.kind} {w.name}
          {w.replicas !== undefined
            ? ` (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`
            : ''}
        </Typography>
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
