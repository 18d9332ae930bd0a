import { ReactNode } from 'react';
import { StatusError, StatusWarning } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  Identity,
  Plan,
  RefusalCode,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatBytes, formatDuration } from '../../lib/format';

/** the refusals that are quota and permission findings, said apart from the others */
const QUOTA_AND_PERMISSION: RefusalCode[] = [
  'QuotaExceeded',
  'MissingPermission',
];

const IDENTITY_SOURCES: Record<Identity['source'], string> = {
  override: 'set by the operator',
  'destination-workload': 'taken from the workload that uses the destination',
  'namespace-uid-range': "taken from the destination namespace's UID range",
  'source-workload': 'taken from the workload that uses the source',
  default: 'the default',
};

const seconds = (s: number | undefined) =>
  s === undefined ? 'unknown' : formatDuration(s * 1000);

/** e.g. `300 MiB used of 1.0 GiB`; only the capacity where the cluster does not report use */
function usedText(source: { usedBytes?: number; capacityBytes?: number }) {
  const capacity = formatBytes(source.capacityBytes);
  return source.usedBytes === undefined
    ? `${capacity}, use unknown`
    : `${formatBytes(source.usedBytes)} used of ${capacity}`;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box mb={1.5}>
      <Typography variant="subtitle2" component="h4">
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </Box>
  );
}

function identityText(identity: Identity | undefined): string {
  if (!identity) return 'decided when the transfer runs';
  const ids = [
    `user ${identity.runAsUser}`,
    `group ${identity.runAsGroup}`,
    ...(identity.fsGroup !== undefined ? [`fsGroup ${identity.fsGroup}`] : []),
  ].join(', ');
  const writable = identity.groupWritable ? '; group-writable' : '';
  return `${ids} (${IDENTITY_SOURCES[identity.source]})${writable}`;
}

function Stopped({ plan }: { plan: Plan }) {
  if (plan.workloads.length === 0)
    return <>Nothing: no workload uses the claim.</>;
  return (
    <>
      {plan.workloads.map(w => (
        <div key={`${w.kind}/${w.namespace}/${w.name}`}>
          {`${w.kind} ${w.namespace}/${w.name}`}
          {w.replicas !== undefined
            ? ` (${w.replicas} replica${w.replicas === 1 ? '' : 's'})`
            : ''}
        </div>
      ))}
      <div>{`for about ${seconds(plan.estimatedDowntimeSeconds)}`}</div>
    </>
  );
}

function Findings({ plan }: { plan: Plan }) {
  const found = plan.refusals.filter(r =>
    QUOTA_AND_PERMISSION.includes(r.code),
  );
  if (found.length === 0) return <>No quota or permission stands in the way.</>;
  return (
    <>
      {found.map(r => (
        <StatusError key={`${r.code}:${r.message}`}>{r.message}</StatusError>
      ))}
    </>
  );
}

/**
 * What the engine would do with a transfer, as its plan says: the mode and why, what stops and for how
 * long, how long it takes, whose files land, and everything that refuses it. Used before a request is
 * sent and wherever a transfer's plan is shown.
 */
export function PlanView({ plan }: { plan: Plan }) {
  const { source, destination } = plan;
  return (
    <div>
      {plan.refusals.length > 0 && (
        <Fact label="Refused">
          {plan.refusals.map(r => (
            <div key={`${r.code}:${r.message}`}>
              <StatusError>{`${r.code}: ${r.message}`}</StatusError>
            </div>
          ))}
        </Fact>
      )}
      <Fact label="Mode">
        <div>{`${plan.mode}, ${plan.intent}: ${plan.modeReason}`}</div>
        {plan.otherMode && (
          <Typography variant="caption" color="textSecondary">
            {`Not ${plan.otherMode.mode}: ${plan.otherMode.whyNot}`}
          </Typography>
        )}
      </Fact>
      <Fact label="From → to">
        {`${source.cluster}/${source.namespace}/${source.name} (${usedText(source)}) → ${destination.cluster}/${destination.namespace}/${destination.name}, storage class ${destination.storageClassName ?? 'the cluster default'}`}
      </Fact>
      <Fact label="Stopped">
        <Stopped plan={plan} />
      </Fact>
      <Fact label="Estimated time">
        {`${seconds(plan.estimatedSeconds)}, downtime ${seconds(plan.estimatedDowntimeSeconds)}`}
      </Fact>
      <Fact label="Files land as">{identityText(plan.identity)}</Fact>
      {plan.mode === 'copy' && (
        <Fact label="Transport">
          {`${plan.mover} over ${plan.transport}${plan.endpoint ? `, endpoint ${plan.endpoint}` : ''}${plan.endpointReason ? ` (${plan.endpointReason})` : ''}`}
        </Fact>
      )}
      <Fact label="Quota and permissions">
        <Findings plan={plan} />
      </Fact>
      {plan.warnings.length > 0 && (
        <Fact label="Warnings">
          {plan.warnings.map(w => (
            <div key={w}>
              <StatusWarning>{w}</StatusWarning>
            </div>
          ))}
        </Fact>
      )}
    </div>
  );
}
