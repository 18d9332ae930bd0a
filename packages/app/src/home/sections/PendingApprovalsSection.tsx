import { PendingApprovalsCard } from '@namespace-transfer/plugin-namespace-transfer';
import { HomeSection } from '../HomeSection';

/** What waits for the person: requests to move or copy volumes they may approve or reject. */
export function PendingApprovalsSection() {
  return (
    <HomeSection
      id="pending-approvals"
      title="Waiting for your approval"
      subheader="Requests to move or copy volumes of components you own. Open one to see its plan and decide."
      narrow
    >
      <PendingApprovalsCard />
    </HomeSection>
  );
}
