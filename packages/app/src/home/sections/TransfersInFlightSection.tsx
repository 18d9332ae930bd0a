import { MyTransfersCard } from '@namespace-transfer/plugin-namespace-transfer';
import { HomeSection } from '../HomeSection';

/** The person's own requests that have not ended, with their progress as it happens. */
export function TransfersInFlightSection({
  userEntityRef,
}: {
  userEntityRef: string;
}) {
  return (
    <HomeSection
      id="transfers-in-flight"
      title="Your transfers in flight"
      subheader="What you requested and has not ended yet: waiting for approval, running or staged for its cutover."
      narrow
    >
      <MyTransfersCard userEntityRef={userEntityRef} />
    </HomeSection>
  );
}
