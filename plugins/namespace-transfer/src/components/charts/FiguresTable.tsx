import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';

/** The figures a chart draws, as rows of already formatted cells. */
export interface Figures {
  /** names the table for screen readers, e.g. "Throughput figures" */
  caption: string;
  columns: string[];
  rows: string[][];
}

const useStyles = makeStyles(theme => ({
  details: { marginTop: theme.spacing(1) },
  summary: { cursor: 'pointer', ...theme.typography.body2 },
  scroll: { maxHeight: 320, overflow: 'auto' },
}));

/**
 * A chart's numbers as a table that a screen reader reads and a sighted reader opens when they want the
 * exact figure; the SVG beside it is hidden from assistive technology.
 */
export function FiguresTable({ figures }: { figures: Figures }) {
  const classes = useStyles();
  return (
    <details className={classes.details}>
      <summary className={classes.summary}>Show the figures</summary>
      <div className={classes.scroll}>
        <Table size="small" aria-label={figures.caption}>
          <TableHead>
            <TableRow>
              {figures.columns.map(column => (
                <TableCell key={column}>{column}</TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {figures.rows.map(row => (
              <TableRow key={row.join('\u0000')}>
                {row.map((cell, i) => (
                  <TableCell key={figures.columns[i]}>{cell}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </details>
  );
}
