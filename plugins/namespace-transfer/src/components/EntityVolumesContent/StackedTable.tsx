import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  table: {
    // the theme lets table cells break inside words, which squeezes a column to a letter's width
    '& th, & td': { wordBreak: 'normal' },
    '& th': { whiteSpace: 'nowrap' },
    // a narrow window reads each claim as a card: its cells one under the other, without the headings
    [theme.breakpoints.down('xs')]: {
      '& table, & tbody, & tr, & td': {
        display: 'block',
        width: '100% !important',
        boxSizing: 'border-box',
      },
      '& thead': { display: 'none' },
      '& tr': {
        padding: theme.spacing(1, 0),
        borderBottom: `1px solid ${theme.palette.divider}`,
      },
      '& td': { padding: `${theme.spacing(0.5, 2)} !important`, border: 0 },
    },
  },
  label: {
    [theme.breakpoints.up('sm')]: { display: 'none' },
  },
}));

/** A table that fits its columns without breaking words, and stacks each row on a narrow window. */
export function StackedTable({ children }: { children: ReactNode }) {
  const classes = useStyles();
  return <div className={classes.table}>{children}</div>;
}

/** A cell's heading where the row is stacked (the column headings are hidden there), hidden otherwise. */
export function NarrowLabel({ children }: { children: ReactNode }) {
  const classes = useStyles();
  return (
    <Typography
      variant="overline"
      color="textSecondary"
      display="block"
      className={classes.label}
    >
      {children}
    </Typography>
  );
}
