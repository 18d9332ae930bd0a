import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { RequestSource } from '../RequestDialog';
import { batchOf, isTransferable, namespacesOf } from './selection';

export interface SelectionBarProps {
  cluster: string;
  volumes: Volume[];
  chosen: Volume[];
  onSelectNamespace: (namespace: string) => void;
  onTransfer: (source: RequestSource) => void;
}

/**
 * How many claims are selected and "Transfer selected" for them; where a table spans namespaces, a way to
 * select all of one (a batch never spans two).
 */
export function SelectionBar(props: SelectionBarProps) {
  const { cluster, volumes, chosen, onSelectNamespace, onTransfer } = props;
  const batch = batchOf(cluster, chosen);
  const namespaces = namespacesOf(volumes.filter(isTransferable));
  const whyId = `transfer-selected-why-${cluster}`;
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      py={1}
      style={{ gap: 8 }}
    >
      <Typography variant="body2">
        {`${chosen.length} claim${chosen.length === 1 ? '' : 's'} selected`}
      </Typography>
      {namespaces.length > 1 &&
        namespaces.map(ns => (
          <Button key={ns} size="small" onClick={() => onSelectNamespace(ns)}>
            {`Select all in ${ns}`}
          </Button>
        ))}
      <Button
        size="small"
        variant="contained"
        color="primary"
        disabled={'why' in batch}
        aria-describedby={'why' in batch ? whyId : undefined}
        onClick={() => {
          if (!('why' in batch)) onTransfer(batch);
        }}
      >
        Transfer selected
      </Button>
      {'why' in batch && (
        <Typography id={whyId} variant="caption" color="textSecondary">
          {batch.why}
        </Typography>
      )}
    </Box>
  );
}
