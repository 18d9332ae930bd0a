import { Table, TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { TransferLogEvent } from '@namespace-transfer/plugin-namespace-transfer-common';
import { formatTime } from '../../lib/time';
import { EVENT_KIND_LABELS, eventText } from './eventText';

const columns: TableColumn<TransferLogEvent>[] = [
  { title: 'Time', render: e => formatTime(e.at), width: '220px' },
  { title: 'Kind', render: e => EVENT_KIND_LABELS[e.kind], width: '120px' },
  {
    title: 'What happened',
    render: e => (
      <Typography
        variant="body2"
        color={e.kind === 'error' ? 'error' : 'textPrimary'}
      >
        {eventText(e)}
      </Typography>
    ),
  },
];

/** The transfer's log, oldest first, so that the newest is where a reader of a story looks last. */
export function EventLog(props: { events: TransferLogEvent[] }) {
  return (
    <Table<TransferLogEvent>
      title="Event log"
      options={{
        paging: props.events.length > 50,
        pageSize: 50,
        pageSizeOptions: [50, 200, 1000],
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      columns={columns}
      data={props.events}
      emptyContent={
        <Typography variant="body2" style={{ padding: 16 }}>
          Nothing recorded yet.
        </Typography>
      }
    />
  );
}
