import { ComponentType } from 'react';
import { MissingAnnotationEmptyState } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import {
  isNamespaceTransferAvailable,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from './isNamespaceTransferAvailable';
import { VolumesSection } from './VolumesSection';
import { PendingApprovals } from '../Approvals';
import { EntityTransfers } from '../Transfers';

/**
 * The tab's sections, top to bottom; each is given the entity's ref: its claims (to request from), the
 * requests on them waiting for this user's approval, and the entity's transfers, live.
 */
const SECTIONS: Array<{
  id: string;
  Section: ComponentType<{ entityRef: string }>;
}> = [
  { id: 'volumes', Section: VolumesSection },
  { id: 'approvals', Section: PendingApprovals },
  { id: 'transfers', Section: EntityTransfers },
];

/** The "Volumes & transfers" tab: the entity's PVCs on every configured cluster, and its transfers. */
export function EntityVolumesContent() {
  const { entity } = useEntity();
  if (!isNamespaceTransferAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          KUBERNETES_ID_ANNOTATION,
          KUBERNETES_LABEL_SELECTOR_ANNOTATION,
        ]}
        readMoreUrl="https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity"
      />
    );
  }
  const entityRef = stringifyEntityRef(entity);
  return (
    <Grid container spacing={3}>
      {SECTIONS.map(({ id, Section }) => (
        <Grid item xs={12} key={id}>
          <Section entityRef={entityRef} />
        </Grid>
      ))}
    </Grid>
  );
}
