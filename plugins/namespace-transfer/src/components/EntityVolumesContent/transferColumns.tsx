import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import { TableColumn } from '@backstage/core-components';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { claimKey, isTransferable } from './selection';

/** The columns that choose claims: a checkbox and "Transfer" on each transferable claim. */
export function transferColumns(
  volumes: Volume[],
  chosen: Set<string>,
  setChosen: (keys: Set<string>) => void,
  onTransfer: (volume: Volume) => void,
): { first: TableColumn<Volume>; last: TableColumn<Volume> } {
  const selectable = volumes.filter(isTransferable).map(claimKey);
  const all = selectable.length > 0 && selectable.every(k => chosen.has(k));
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (!next.delete(key)) next.add(key);
    setChosen(next);
  };
  return {
    first: {
      title: (
        <Checkbox
          size="small"
          checked={all}
          indeterminate={!all && chosen.size > 0}
          disabled={selectable.length === 0}
          onChange={() => setChosen(new Set(all ? [] : selectable))}
          inputProps={{ 'aria-label': 'Select all transferable claims' }}
        />
      ),
      sorting: false,
      width: '48px',
      render: v =>
        isTransferable(v) ? (
          <Checkbox
            size="small"
            checked={chosen.has(claimKey(v))}
            onChange={() => toggle(claimKey(v))}
            inputProps={{ 'aria-label': `Select ${v.name}` }}
          />
        ) : null,
    },
    last: {
      title: 'Actions',
      sorting: false,
      // as wide as its button, which never wraps out of sight
      width: '1%',
      cellStyle: { whiteSpace: 'nowrap' },
      render: v =>
        isTransferable(v) ? (
          <Button
            size="small"
            variant="outlined"
            color="primary"
            onClick={() => onTransfer(v)}
          >
            Transfer
          </Button>
        ) : null,
    },
  };
}
