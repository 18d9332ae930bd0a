import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { TransferLogEvent } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatClock, formatDay, formatTime } from '../../lib/time';
import { EVENT_KIND_LABELS, eventText } from './eventText';

/**
 * The time of day, with the day above it on the first row and where the day changes: a run of minutes
 * reads at a glance, the full time is in the tooltip.
 */
function EventTime(props: { at: string; showDay: boolean }) {
  const { at, showDay } = props;
  return (
    <span title={formatTime(at)}>
      {showDay && (
        <Typography variant="caption" color="textSecondary" display="block">
          {formatDay(at)}
        </Typography>
      )}
      <Typography variant="body2" component="span">
        {formatClock(at)}
      </Typography>
    </span>
  );
}

/** the ids of the events that begin a day in the log (the first one always does) */
function dayStarts(events: TransferLogEvent[]): Set<string> {
  const starts = new Set<string>();
  let previous: string | undefined;
  for (const event of events) {
    const day = formatDay(event.at);
    if (day !== previous) starts.add(event.id);
    previous = day;
  }
  return starts;
}

const nowrap = { whiteSpace: 'nowrap' } as const;

function columnsFor(starts: Set<string>): TableColumn<TransferLogEvent>[] {
  return [
    {
      title: 'Time',
      render: e => <EventTime at={e.at} showDay={starts.has(e.id)} />,
      width: '1%',
      cellStyle: nowrap,
      headerStyle: nowrap,
    },
    {
      title: 'Kind',
      render: e => EVENT_KIND_LABELS[e.kind],
      width: '1%',
      cellStyle: nowrap,
      headerStyle: nowrap,
    },
    {
      title: 'What happened',
      render: e => (
        <Typography
          variant="body2"
          color={e.kind === 'error' ? 'error' : 'textPrimary'}
          style={{ overflowWrap: 'anywhere' }}
        >
          {eventText(e)}
        </Typography>
      ),
    },
  ];
}

/** The transfer's log, oldest first, so that the newest is where a reader of a story looks last. */
export function EventLog(props: { events: TransferLogEvent[] }) {
  const { events } = props;
  const columns = useMemo(() => columnsFor(dayStarts(events)), [events]);
  return (
    <Table<TransferLogEvent>
      title="Event log"
      options={{
        paging: events.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 200, 1000],
        search: false,
        sorting: false,
        draggable: false,
        padding: 'dense',
      }}
      columns={columns}
      data={events}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          Nothing recorded yet.
        </Typography>
      }
    />
  );
}
