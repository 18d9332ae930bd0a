import {
  DecisionBody,
  TransferDecisionKind,
  TransferSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi } from '../../api';

/** How the portal presents a decision: its button, what confirming does, and the call. */
export type DecisionAction = {
  /** the button's and the dialog's confirm button's name */
  label: string;
  /** the dialog's question */
  title: string;
  /** what confirming does, said in the dialog */
  consequence: string;
  decide(
    api: NamespaceTransferApi,
    id: string,
    body: DecisionBody,
  ): Promise<TransferSummary>;
};

export const DECISION_ACTIONS: Record<TransferDecisionKind, DecisionAction> = {
  approve: {
    label: 'Approve',
    title: 'Approve this transfer?',
    consequence:
      'The transfer runs as planned once every approval it needs is given.',
    decide: (api, id, body) => api.approveTransfer(id, body),
  },
  reject: {
    label: 'Reject',
    title: 'Reject this request?',
    consequence: 'The request ends here; nothing on the clusters changes.',
    decide: (api, id, body) => api.rejectTransfer(id, body),
  },
  cancel: {
    label: 'Cancel transfer',
    title: 'Cancel this transfer?',
    consequence:
      'A running transfer is rolled back: the source is restored and what was created is removed.',
    decide: (api, id, body) => api.cancelTransfer(id, body),
  },
  retry: {
    label: 'Retry',
    title: 'Retry this transfer?',
    consequence: 'The transfer runs again from the start as a new attempt.',
    decide: (api, id, body) => api.retryTransfer(id, body),
  },
  resume: {
    label: 'Resume',
    title: 'Resume this transfer?',
    consequence: 'The transfer continues from where it stopped.',
    decide: (api, id, body) => api.resumeTransfer(id, body),
  },
  cutover: {
    label: 'Cut over now',
    title: 'Cut over now?',
    consequence:
      "The staged transfer cuts over now rather than at its planned time: the source's workloads stop for the final sync.",
    decide: (api, id, body) => api.cutoverTransfer(id, body),
  },
};
