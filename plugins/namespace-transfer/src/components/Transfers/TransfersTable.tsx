import { ReactNode } from 'react';
import { Progress } from '@backstage/core-components';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TableSortLabel from '@material-ui/core/TableSortLabel';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { TransferSummary } from '@namespace-transfer/plugin-namespace-transfer-common';
import {
  COLUMNS,
  DEFAULT_COLUMNS,
  TransferSortField,
  TransferSortOrder,
  TransfersTableColumn,
} from './columns';

/** @public */
export interface TransfersTableProps {
  /** the table's accessible name, e.g. "Transfers of payments-db" */
  title: string;
  transfers: TransferSummary[];
  /** which columns show, in this order; the default has all but `created` and `actions` */
  columns?: TransfersTableColumn[];
  /** a (re)load is under way: a bar over the rows, or in their place while there are none */
  loading?: boolean;
  /** what shows when there are no transfers and nothing loads */
  emptyContent?: ReactNode;
  /** the order the rows came in from the API */
  sort?: { field: TransferSortField; order: TransferSortOrder };
  /** set to let people sort by the columns the API sorts by; the caller asks the API again */
  onSortChange?: (field: TransferSortField, order: TransferSortOrder) => void;
  /** a decision taken in the actions column answered with the transfer as it is now */
  onTransferChange?: (transfer: TransferSummary) => void;
}

/** Times newest first, names from A, the way each column is most often read. */
const FIRST_ORDER: Record<TransferSortField, TransferSortOrder> = {
  createdAt: 'desc',
  updatedAt: 'desc',
  state: 'asc',
  requester: 'asc',
};

const useStyles = makeStyles(theme => ({
  // the theme lets table cells break inside words, which squeezes a column to a letter's width
  table: {
    '& th, & td': {
      wordBreak: 'normal',
      padding: theme.spacing(1, 1),
      '&:first-child': { paddingLeft: theme.spacing(2) },
    },
    '& th': { whiteSpace: 'nowrap' },
    // a narrow window reads each transfer as a card: its cells one under the other, each with its
    // heading; what the list can be sorted by stays above as a row of sort buttons
    [theme.breakpoints.down('xs')]: {
      '&, & tbody, & tr, & td': {
        display: 'block',
        width: '100%',
        boxSizing: 'border-box',
      },
      '& thead tr': { display: 'flex', flexWrap: 'wrap' },
      '& tbody tr': { borderBottom: `1px solid ${theme.palette.divider}` },
      '& td': { border: 0, padding: theme.spacing(0.5, 2) },
      '& td[data-label]::before': {
        ...theme.typography.overline,
        content: 'attr(data-label)',
        display: 'block',
        color: theme.palette.text.secondary,
      },
    },
  },
  unsortable: {
    [theme.breakpoints.down('xs')]: { display: 'none' },
  },
}));

function HeaderCell(props: {
  column: TransfersTableColumn;
  sort: TransfersTableProps['sort'];
  onSortChange: TransfersTableProps['onSortChange'];
}) {
  const { column, sort, onSortChange } = props;
  const classes = useStyles();
  const { title, sortField } = COLUMNS[column];
  if (!sortField || !onSortChange) {
    return <TableCell className={classes.unsortable}>{title}</TableCell>;
  }
  const active = sort?.field === sortField;
  const order = active ? sort.order : FIRST_ORDER[sortField];
  const next: TransferSortOrder =
    active && sort.order === 'asc' ? 'desc' : 'asc';
  return (
    <TableCell sortDirection={active ? order : false}>
      <TableSortLabel
        active={active}
        direction={order}
        onClick={() => onSortChange(sortField, active ? next : order)}
      >
        {title}
      </TableSortLabel>
    </TableCell>
  );
}

/**
 * Transfers, one row each: where from and to, state, phase, progress, who asked, attempt, downtime and
 * when. Sorting is the API's (cursor pages cannot be sorted in the browser): a header calls onSortChange.
 */
export function TransfersTable(props: TransfersTableProps) {
  const {
    title,
    transfers,
    columns = DEFAULT_COLUMNS,
    loading,
    emptyContent,
    sort,
    onSortChange,
    onTransferChange,
  } = props;

  const classes = useStyles();
  if (loading && transfers.length === 0) return <Progress />;
  return (
    <>
      {loading && <Progress />}
      <TableContainer>
        <Table size="small" aria-label={title} className={classes.table}>
          <TableHead>
            <TableRow>
              {columns.map(column => (
                <HeaderCell
                  key={column}
                  column={column}
                  sort={sort}
                  onSortChange={onSortChange}
                />
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {transfers.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  {emptyContent ?? (
                    <Typography variant="body2">No transfers.</Typography>
                  )}
                </TableCell>
              </TableRow>
            )}
            {transfers.map(transfer => (
              <TableRow key={transfer.id}>
                {columns.map(column => (
                  <TableCell
                    key={column}
                    style={COLUMNS[column].style}
                    data-label={COLUMNS[column].title}
                  >
                    {COLUMNS[column].render(transfer, { onTransferChange })}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </>
  );
}
