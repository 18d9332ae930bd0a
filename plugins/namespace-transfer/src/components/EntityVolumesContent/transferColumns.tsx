import Checkbox from '@material-ui/core/Checkbox';
import { TableColumn } from '@backstage/core-components';
import { Volume } from '@namespace-transfer/plugin-namespace-transfer-common';
import { claimKey, isTransferable } from './selection';

/** The column that chooses claims (a checkbox on each transferable one), and what "Transfer" on one does. */
export function transferColumns(
  volumes: Volume[],
  chosen: Set<string>,
  setChosen: (keys: Set<string>) => void,
  onTransfer: (volume: Volume) => void,
): { first: TableColumn<Volume>; onTransfer: (volume: Volume) => void } {
  const selectable = volumes.filter(isTransferable).map(claimKey);
  const all = selectable.length > 0 && selectable.every(k => chosen.has(k));
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (!next.delete(key)) next.add(key);
    setChosen(next);
  };
  return {
    onTransfer,
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
  };
}
