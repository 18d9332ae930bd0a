import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Transfer } from '../store';
import {
  describeTransfer,
  personName,
  quoteText,
  transferLink,
  TransferWords,
} from './describe';
import type { StateChange } from './types';

export type NotificationPayload = NotificationSendOptions['payload'];

/** Topics people can switch off in their notification settings: what waits for them, and news of their own. */
export const APPROVAL_TOPIC = 'namespace-transfer-approval';
export const STATUS_TOPIC = 'namespace-transfer-status';

/**
 * Who hears of a change: the source's owners (resolved when sent, from the catalog), the requester, or the
 * requester and those who approved the attempt (they took responsibility for it: a failure concerns them),
 * and with them the source's owners when their application may be left stopped.
 */
export type Audience =
  | 'owners'
  | 'requester'
  | 'requester-and-approvers'
  | 'requester-approvers-and-owners';

export interface Notice {
  /** what happened, in the log when the notice cannot be sent */
  kind: string;
  to: Audience;
  /** who should not hear of it: whoever made the change, and a requester who hears of it otherwise */
  exclude: string[];
  payload: NotificationPayload;
}

/**
 * The notifications a stored change sends: at most one per audience, none for what a person did themselves
 * or would not act on (a start, an approval short of the required number). Pure: the table tests read it.
 */
export function noticesFor(transfer: Transfer, change: StateChange): Notice[] {
  const words = describeTransfer(transfer);
  const notices: Notice[] = [];
  const ask = ownersAsk(transfer, change, words);
  if (ask) notices.push(ask);
  const news = requesterNews(transfer, change, words);
  if (news) notices.push(news);
  return notices;
}

/**
 * The source's owners are asked whenever the transfer enters pending-approval: a new request, a retry of a
 * request that never ran, a plan that changed before the worker started. Each ask replaces the previous one
 * for the transfer (one scope), so an owner has one "approve?" per transfer, the latest, unread again.
 */
function ownersAsk(
  transfer: Transfer,
  change: StateChange,
  words: TransferWords,
): Notice | undefined {
  const enters =
    transfer.state === 'pending-approval' &&
    (change.action === 'request' || change.from !== 'pending-approval');
  if (!enters) return undefined;
  const what = `${words.verb} ${words.source} to ${words.destination}`;
  const requester = personName(transfer.requester);
  let title = `Approve ${what}?`;
  let why = `${requester} asks for ${words.verb} ${words.full}.`;
  if (change.action === 'ask-again') {
    title = `The plan changed: approve ${what} again?`;
    why = `The plan of ${words.verb} ${words.full} changed after it was approved${because(change.comment)}; it runs only once approved again.`;
  } else if (change.action === 'retry') {
    title = `Approve ${what} again?`;
    why = `${change.actor ? personName(change.actor) : requester} retried ${words.verb} ${words.full}, which was cancelled before it ran.`;
  } else if (change.comment) {
    why += ` "${quoteText(change.comment)}"`;
  }
  return {
    kind: 'approval-request',
    to: 'owners',
    // the requester asked (or hears of the changed plan on their own); the actor knows what they did
    exclude: unique([transfer.requester, change.actor]),
    payload: {
      title,
      description: `${why}${downtime(transfer)}`,
      link: transferLink(transfer.id),
      severity: 'normal',
      topic: APPROVAL_TOPIC,
      scope: `namespace-transfer:${transfer.id}:approval`,
    },
  };
}

/** A new request that came in a batch: its owners' asks are grouped, one notification per batch. */
export function isBatchRequest(
  transfer: Transfer,
  change: StateChange,
): boolean {
  return change.action === 'request' && transfer.batchId !== undefined;
}

const LISTED_CLAIMS = 10;

/**
 * The owners' ask for the new requests of a batch that they decide on (`claims`, the latest last): one
 * notification per batch, replaced as each request is stored, instead of one per volume of a namespace.
 * Each request is still approved on its own; the link leads to the latest one.
 */
export function batchAsk(
  ask: Notice,
  transfer: Transfer,
  claims: string[],
): Notice {
  const scope = `namespace-transfer:batch:${transfer.batchId}:approval`;
  if (claims.length < 2) return { ...ask, payload: { ...ask.payload, scope } };
  const words = describeTransfer(transfer);
  const { source: s, destination: d } = transfer;
  const listed = claims.slice(0, LISTED_CLAIMS).join(', ');
  const more =
    claims.length > LISTED_CLAIMS
      ? ` and ${claims.length - LISTED_CLAIMS} more`
      : '';
  return {
    ...ask,
    payload: {
      ...ask.payload,
      title: `Approve ${words.verb} ${claims.length} volumes of ${s.namespace} to ${d.cluster}/${d.namespace}?`,
      description: `${personName(transfer.requester)} asks for ${words.verb} claims ${listed}${more} in ${s.namespace} on ${s.cluster} to ${d.namespace} on ${d.cluster}. Each is approved on its own.`,
      scope,
    },
  };
}

interface News {
  kind: string;
  title: string;
  description: string;
  severity?: NotificationPayload['severity'];
  to?: Audience;
  /** notices of one scope replace each other: a cancel under way, then its rollback done */
  scope?: string;
}

/** What the requester hears of: decisions, staged, the end of the attempt, and what others did to it. */
function requesterNews(
  transfer: Transfer,
  change: StateChange,
  words: TransferWords,
): Notice | undefined {
  const news = requesterNewsOf(transfer, change, words);
  if (!news) return undefined;
  return {
    kind: news.kind,
    to: news.to ?? 'requester',
    exclude: unique([change.actor]),
    payload: {
      title: news.title,
      description: news.description,
      link: transferLink(transfer.id),
      severity: news.severity ?? 'normal',
      topic: STATUS_TOPIC,
      scope: `namespace-transfer:${transfer.id}:${transfer.attempt}:${news.scope ?? news.kind}`,
    },
  };
}

function requesterNewsOf(
  transfer: Transfer,
  change: StateChange,
  words: TransferWords,
): News | undefined {
  const what = `${words.verb} ${words.source} to ${words.destination}`;
  const by = change.actor ? personName(change.actor) : undefined;
  const byOther =
    change.actor !== undefined && change.actor !== transfer.requester;
  const said = change.comment ? `: "${quoteText(change.comment)}"` : '.';
  const { state } = transfer;

  switch (change.action) {
    case 'approve':
      // an approval short of the required number changes nothing the requester acts on
      if (state !== 'approved') return undefined;
      return {
        kind: 'approved',
        title: `Approved: ${what}`,
        description: `${by ?? 'Its owners'} approved ${words.verb} ${words.full}${said}`,
      };
    case 'reject':
      return {
        kind: 'rejected',
        title: `Rejected: ${what}`,
        description: `${by ?? 'Its owners'} rejected ${words.verb} ${words.full}${said}`,
      };
    case 'expire':
      return {
        kind: 'expired',
        title: `Expired: ${what}`,
        description: `Nobody decided on ${words.verb} ${words.full} in time. Request it again if it is still needed.`,
      };
    case 'ask-again':
      return {
        kind: 'asked-again',
        title: `Needs approval again: ${what}`,
        description: `The plan of ${words.verb} ${words.full} changed after it was approved${because(change.comment)}. Its source's owners are asked again; nothing was changed on the clusters.`,
      };
    case 'stage':
      return {
        kind: 'staged',
        title: `Staged: ${words.source} synced to ${words.destination}`,
        description: `The data of ${words.full} is synced while the application runs. ${
          transfer.cutoverAt
            ? `It cuts over at ${transfer.cutoverAt.toISOString()}.`
            : 'Cut it over from its page when you are ready.'
        }`,
      };
    case 'succeed':
      return {
        kind: 'succeeded',
        title: `Done: ${words.source} ${words.done} to ${words.destination}`,
        description: `${capitalise(words.done)} ${words.full}.${stopped(transfer)}`,
      };
    case 'fail':
      // past the point of no return the source may be gone or its application stopped until a resume:
      // that is the source owners' outage too
      if (transfer.pastPointOfNoReturn)
        return {
          kind: 'failed',
          to: 'requester-approvers-and-owners',
          severity: 'critical',
          title: `Failed past its point of no return: ${what}`,
          description: `${quoteText(transfer.error ?? 'No reason was recorded.')} The source application may stay stopped until the transfer is resumed from its page.`,
        };
      // nothing was rolled back: the application may be stopped until someone resumes or cancels
      return transfer.leftForResume
        ? {
            kind: 'failed',
            to: 'requester-approvers-and-owners',
            severity: 'critical',
            title: `Failed, not rolled back: ${what}`,
            description: `${quoteText(transfer.error ?? 'No reason was recorded.')} A cluster did not answer, so nothing was rolled back: the source application may stay stopped until the transfer is resumed or cancelled from its page.`,
          }
        : {
            kind: 'failed',
            to: 'requester-and-approvers',
            severity: 'high',
            title: `Failed: ${what}`,
            description: `${quoteText(transfer.error ?? 'No reason was recorded.')} Retry it from its page once the cause is fixed.`,
          };
    case 'cancel':
      if (!byOther) return undefined;
      return state === 'cancelled'
        ? {
            kind: 'cancelled',
            scope: 'cancel',
            title: `Cancelled: ${what}`,
            description: `${by} cancelled ${words.verb} ${words.full}${said}`,
          }
        : {
            kind: 'cancelling',
            scope: 'cancel',
            title: `Cancelling: ${what}`,
            description: `${by} cancelled ${words.verb} ${words.full}; it is being rolled back${said}`,
          };
    case 'roll-back':
      return {
        kind: 'cancelled',
        scope: 'cancel',
        title: `Cancelled: ${what}`,
        description: `${capitalise(words.verb)} ${words.full} was cancelled and rolled back: the source is as it was.`,
      };
    case 'cutover':
      if (!byOther) return undefined;
      return {
        kind: 'cut-over',
        title: `Cutting over: ${what}`,
        description: `${by} started the cut-over of ${words.full}: the application stops for the final sync.`,
      };
    case 'retry':
    case 'resume':
      if (!byOther) return undefined;
      return {
        kind: change.action === 'retry' ? 'retried' : 'resumed',
        severity: 'low',
        title: `${by} ${change.action === 'retry' ? 'retried' : 'resumed'} ${what}`,
        description: `${by} ${change.action === 'retry' ? 'retried' : 'resumed'} ${words.verb} ${words.full}${
          state === 'pending-approval'
            ? '; it waits for its owners to approve it'
            : ''
        }${said}`,
      };
    default:
      // a new request (its owners are asked) and a start: the requester knows, the page shows it live
      return undefined;
  }
}

function because(comment: string | undefined): string {
  return comment ? ` (${quoteText(comment)})` : '';
}

function downtime(transfer: Transfer): string {
  const seconds = transfer.plan?.estimatedDowntimeSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? ` The application stops for about ${formatSeconds(seconds)}.`
    : '';
}

function stopped(transfer: Transfer): string {
  return typeof transfer.downtimeMs === 'number'
    ? ` The application was stopped for ${formatSeconds(transfer.downtimeMs / 1000)}.`
    : '';
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unique(refs: Array<string | undefined>): string[] {
  return [...new Set(refs.filter((r): r is string => !!r))];
}
