import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
} from '@backstage/catalog-model';
import { Link, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  entityRouteParams,
  entityRouteRef,
  EntityRefLinks,
  getEntityRelations,
} from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { HomeSection } from '../HomeSection';
import {
  getOwnedKubernetesEntities,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '../ownedKubernetesEntities';
import { SignedInUser, useLoadable } from '../useSignedInUser';

/** The path of the entity page's tab (the `path` of the namespace-transfer plugin's entity content). */
export const VOLUMES_TAB_PATH = 'volumes';

function KubernetesRef({ entity }: { entity: Entity }) {
  const annotations = entity.metadata.annotations ?? {};
  const id = annotations[KUBERNETES_ID_ANNOTATION]?.trim();
  const selector = annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION]?.trim();
  const namespace = annotations[KUBERNETES_NAMESPACE_ANNOTATION]?.trim();
  return (
    <>
      <Typography variant="body2">
        {id ? `id ${id}` : `label selector ${selector}`}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {namespace ? `namespace ${namespace}` : 'any namespace'}
      </Typography>
    </>
  );
}

function EntitiesTable({ entities }: { entities: Entity[] }) {
  const entityRoute = useRouteRef(entityRouteRef);
  return (
    <Table size="small" aria-label="Your components on Kubernetes">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Kubernetes</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Volumes</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {entities.map(entity => {
          const volumes = `${entityRoute(entityRouteParams(entity))}/${VOLUMES_TAB_PATH}`;
          const name = entity.metadata.title ?? entity.metadata.name;
          const type = entity.spec?.type;
          return (
            <TableRow
              key={`${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`}
            >
              <TableCell>
                <Link to={volumes}>{name}</Link>
                {entity.metadata.description && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {entity.metadata.description}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                {entity.kind}
                {typeof type === 'string' && ` · ${type}`}
              </TableCell>
              <TableCell>
                <KubernetesRef entity={entity} />
              </TableCell>
              <TableCell>
                <EntityRefLinks
                  entityRefs={getEntityRelations(entity, RELATION_OWNED_BY)}
                  defaultKind="group"
                />
              </TableCell>
              <TableCell>
                <Link
                  to={volumes}
                  aria-label={`Volumes & transfers of ${name}`}
                >
                  Volumes & transfers
                </Link>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/**
 * The components and resources the person or one of their groups owns that name their Kubernetes
 * resources: where they can see their volumes and, from there, move or copy them.
 */
export function KubernetesEntitiesSection({ user }: { user: SignedInUser }) {
  const catalogApi = useApi(catalogApiRef);
  const entities = useLoadable(
    () => getOwnedKubernetesEntities(catalogApi, user.ownershipEntityRefs),
    [catalogApi, user.ownershipEntityRefs],
  );
  const groups = user.ownershipEntityRefs.filter(
    ref => parseEntityRef(ref).kind.toLocaleLowerCase('en-US') === 'group',
  );

  return (
    <HomeSection
      id="kubernetes-entities"
      title="Your components on Kubernetes"
      subheader={
        <>
          Owned by you
          {groups.length > 0 && (
            <>
              {' or '}
              <EntityRefLinks entityRefs={groups} defaultKind="group" />
            </>
          )}
          . Each leads to its Volumes & transfers tab: its persistent volume
          claims on every cluster, the workloads that use them, and their moves
          and copies.
        </>
      }
    >
      {entities.loading && <Progress />}
      {entities.error && <ResponseErrorPanel error={entities.error} />}
      {entities.value?.length === 0 && (
        <Typography variant="body2">
          None of the components or resources you own names its Kubernetes
          resources. Add the annotation <code>{KUBERNETES_ID_ANNOTATION}</code>{' '}
          (or <code>{KUBERNETES_LABEL_SELECTOR_ANNOTATION}</code>) to its
          catalog entry and it appears here.
        </Typography>
      )}
      {entities.value && entities.value.length > 0 && (
        <EntitiesTable entities={entities.value} />
      )}
    </HomeSection>
  );
}
