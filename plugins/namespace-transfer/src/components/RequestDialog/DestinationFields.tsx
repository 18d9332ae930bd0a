import TextField from '@material-ui/core/TextField';
import {
  DestinationCluster,
  TransferDestinationOption,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  CUSTOM_DESTINATION,
  destinationCluster,
  destinationKey,
  FieldsProps,
} from './formModel';

export interface DestinationFieldsProps extends FieldsProps {
  destinations: TransferDestinationOption[];
  clusters: DestinationCluster[];
  isAdmin: boolean;
  /** a batch keeps each claim's name: there is no name to choose */
  batch: boolean;
}

/** The admin's own cluster and namespace, with the entity the claim will appear under. */
function CustomDestination({ form, errors, set }: FieldsProps) {
  return (
    <>
      <TextField
        id="request-entity-ref"
        label="Destination entity"
        placeholder="component:default/payments-db"
        InputLabelProps={{ shrink: true }}
        value={form.entityRef}
        onChange={e => set('entityRef', e.target.value)}
        error={!!errors.entityRef}
        helperText={
          errors.entityRef ?? 'The catalog entity the new claim belongs to'
        }
        fullWidth
        margin="dense"
      />
      <TextField
        id="request-cluster"
        label="Destination cluster"
        value={form.cluster}
        onChange={e => set('cluster', e.target.value)}
        error={!!errors.cluster}
        helperText={errors.cluster ?? 'A configured cluster'}
        fullWidth
        margin="dense"
      />
      <TextField
        id="request-namespace"
        label="Destination namespace"
        value={form.namespace}
        onChange={e => set('namespace', e.target.value)}
        error={!!errors.namespace}
        helperText={errors.namespace}
        fullWidth
        margin="dense"
      />
    </>
  );
}

/** The destination cluster's storage classes, its default marked; typed where the classes are not known. */
function StorageClassField({
  form,
  errors,
  set,
  cluster,
}: FieldsProps & { cluster?: DestinationCluster }) {
  const common = {
    id: 'request-storage-class',
    label: 'Storage class',
    value: form.storageClass,
    error: !!errors.storageClass,
    fullWidth: true,
    margin: 'dense' as const,
    // the empty value reads "the cluster's default": a label left inside the field would cover it
    InputLabelProps: { shrink: true },
  };
  if (!cluster || cluster.storageClasses.length === 0) {
    return (
      <TextField
        {...common}
        placeholder="the cluster's default"
        onChange={e => set('storageClass', e.target.value)}
        helperText={
          errors.storageClass ??
          cluster?.error ??
          "Leave empty for the destination cluster's default class"
        }
      />
    );
  }
  const fallback = cluster.storageClasses.find(c => c.isDefault);
  return (
    <TextField
      {...common}
      select
      SelectProps={{ native: true }}
      onChange={e => set('storageClass', e.target.value)}
      helperText={
        errors.storageClass ?? 'The class of the new claim on that cluster'
      }
    >
      <option value="">
        {fallback
          ? `Cluster default (${fallback.name})`
          : 'Cluster default (none marked)'}
      </option>
      {cluster.storageClasses.map(c => (
        <option key={c.name} value={c.name}>
          {c.isDefault ? `${c.name} (default)` : c.name}
        </option>
      ))}
    </TextField>
  );
}

/** Where the data goes: the entity (and so cluster and namespace), the claim's name and storage class. */
export function DestinationFields(props: DestinationFieldsProps) {
  const { form, errors, set, destinations, clusters, isAdmin, batch } = props;
  const clusterName = destinationCluster(form, destinations);
  const cluster = clusters.find(c => c.cluster === clusterName);
  const changeDestination = (value: string) => {
    set('destination', value);
    // the classes differ from cluster to cluster
    set('storageClass', '');
  };
  return (
    <>
      <TextField
        id="request-destination"
        label="Destination"
        select
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        value={form.destination}
        onChange={e => changeDestination(e.target.value)}
        error={!!errors.destination}
        helperText={
          errors.destination ??
          'An entity you own; the claim appears under it in its namespace'
        }
        fullWidth
        margin="dense"
      >
        {form.destination === '' && <option value="">Choose…</option>}
        {destinations.map(d => (
          <option key={destinationKey(d)} value={destinationKey(d)}>
            {`${d.entityRef} — ${d.cluster}/${d.namespace}`}
          </option>
        ))}
        {isAdmin && (
          <option value={CUSTOM_DESTINATION}>
            Another cluster and namespace (admin)
          </option>
        )}
      </TextField>
      {form.destination === CUSTOM_DESTINATION && (
        <CustomDestination form={form} errors={errors} set={set} />
      )}
      {!batch && (
        <TextField
          id="request-claim"
          label="Claim name"
          value={form.claim}
          onChange={e => set('claim', e.target.value)}
          error={!!errors.claim}
          helperText={errors.claim ?? 'The name of the new claim'}
          fullWidth
          margin="dense"
        />
      )}
      <StorageClassField
        form={form}
        errors={errors}
        set={set}
        cluster={cluster}
      />
    </>
  );
}
