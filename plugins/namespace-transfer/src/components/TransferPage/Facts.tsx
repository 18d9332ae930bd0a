import { ReactNode } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'minmax(8rem, max-content) 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: 0,
  },
  term: { color: theme.palette.text.secondary },
  value: { margin: 0, overflowWrap: 'anywhere' },
}));

/** Label and value pairs as a description list; a pair whose value is undefined is left out. */
export function Facts(props: {
  facts: Array<[string, ReactNode | undefined]>;
}) {
  const classes = useStyles();
  return (
    <dl className={classes.list}>
      {props.facts
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([term, value]) => (
          <Typography
            key={term}
            component="div"
            variant="body2"
            style={{ display: 'contents' }}
          >
            <dt className={classes.term}>{term}</dt>
            <dd className={classes.value}>{value}</dd>
          </Typography>
        ))}
    </dl>
  );
}
