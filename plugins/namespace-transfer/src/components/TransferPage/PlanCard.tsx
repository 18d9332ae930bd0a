import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Plan,
  TransferRequestedVia,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatBytes, formatDuration } from '../../lib/format';
import { Facts } from './Facts';

const seconds = (s: number | undefined) =>
  s === undefined ? undefined : formatDuration(s * 1000);

function identityText(plan: Plan): string | undefined {
  const id = plan.identity;
  if (!id) return undefined;
  const group = id.fsGroup === undefined ? '' : `, fsGroup ${id.fsGroup}`;
  const writable = id.groupWritable ? ', group-writable' : '';
  return `uid ${id.runAsUser}, gid ${id.runAsGroup}${group}${writable} (from ${id.source})`;
}

function stopsText(plan: Plan, madeBeforehand: boolean): string {
  // a request of the Kubernetes API has no plan made before it ran: the controller finds the users then
  if (!madeBeforehand)
    return 'What uses the claim, while the volume is rebound (found by the KEP controller when it runs)';
  if (plan.workloads.length === 0) return 'Nothing is stopped';
  return plan.workloads
    .map(w =>
      w.replicas === undefined
        ? `${w.kind} ${w.namespace}/${w.name}`
        : `${w.kind} ${w.namespace}/${w.name} (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`,
    )
    .join(', ');
}

function Findings(props: { title: string; items: string[]; error?: boolean }) {
  if (props.items.length === 0) return null;
  return (
    <Box mt={2}>
      <Typography
        variant="subtitle2"
        color={props.error ? 'error' : 'textPrimary'}
      >
        {props.title}
      </Typography>
      <ul style={{ margin: 0 }}>
        {props.items.map(item => (
          <li key={item}>
            <Typography
              variant="body2"
              color={props.error ? 'error' : 'textPrimary'}
            >
              {item}
            </Typography>
          </li>
        ))}
      </ul>
    </Box>
  );
}

/**
 * The plan the requester saw and the owners approved: how, what stops and for how long, as whom. A transfer
 * requested through the Kubernetes API had none beforehand: only what the request asked is shown.
 */
export function PlanCard(props: {
  plan: Plan;
  requestedVia?: TransferRequestedVia;
}) {
  const { plan } = props;
  const madeBeforehand = props.requestedVia !== 'kubernetes';
  return (
    <InfoCard title="Plan">
      <Typography variant="body1" gutterBottom>
        {plan.mode === 'copy' ? 'Copy' : 'Rebind'}: {plan.modeReason}
      </Typography>
      <Facts
        facts={[
          [
            'Not by',
            plan.otherMode &&
              `${plan.otherMode.mode}: ${plan.otherMode.whyNot}`,
          ],
          ['Intent', plan.intent],
          [
            'Data',
            plan.source.usedBytes !== undefined
              ? formatBytes(plan.source.usedBytes)
              : undefined,
          ],
          [
            'Capacity',
            plan.source.capacityBytes !== undefined
              ? formatBytes(plan.source.capacityBytes)
              : undefined,
          ],
          ['Storage class', plan.destination.storageClassName],
          ['Stops', stopsText(plan, madeBeforehand)],
          ['Estimated time', seconds(plan.estimatedSeconds)],
          ['Estimated downtime', seconds(plan.estimatedDowntimeSeconds)],
          ['Files land as', identityText(plan)],
          [
            'Mover',
            plan.mode === 'copy'
              ? `${plan.mover} over ${plan.transport}`
              : undefined,
          ],
          [
            'Endpoint',
            plan.endpoint &&
              [plan.endpoint, plan.endpointReason].filter(Boolean).join(': '),
          ],
        ]}
      />
      <Findings title="Findings" items={plan.warnings} />
      <Findings
        title="Refusals"
        items={plan.refusals.map(r => `${r.code}: ${r.message}`)}
        error
      />
    </InfoCard>
  );
}
