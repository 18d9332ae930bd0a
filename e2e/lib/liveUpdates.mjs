// Tells a page that follows a transfer live (Backstage signals over the signals WebSocket, then one fetch
// of what changed) from one that polls: it records, in order, the transfer signals the page receives and
// its reads of the workflow's list and get routes.
const API = '/api/namespace-transfer';
const READ_ROUTES = [
  { route: 'list', pattern: new RegExp(`^${API}/transfers$`) },
  { route: 'pending', pattern: new RegExp(`^${API}/approvals/pending$`) },
  {
    route: 'get',
    pattern: new RegExp(`^${API}/transfers/(?!export\\.csv$)[^/]+$`),
  },
];
/** one signal may refresh two views of the same transfer (e.g. its summary and its list row) */
const READS_PER_SIGNAL = 2;

export function recordLiveTraffic(page, signalChannel) {
  const log = [];
  page.on('request', request => {
    if (request.method() !== 'GET') return;
    const { pathname } = new URL(request.url());
    const read = READ_ROUTES.find(r => r.pattern.test(pathname));
    if (read) log.push({ kind: 'read', route: read.route, pathname });
  });
  page.on('websocket', ws =>
    ws.on('framereceived', ({ payload }) => {
      if (String(payload).includes(`"${signalChannel}"`))
        log.push({ kind: 'signal' });
    }),
  );
  return {
    /** a point in the log: what came before (e.g. the page's first load) is not judged */
    mark: () => log.length,
    /** the person acts on the page (e.g. confirms a decision): the page may read what changed, once */
    noteAction: () => log.push({ kind: 'action' }),
    signalsSince: start =>
      log.slice(start).filter(e => e.kind === 'signal').length,
    readsSince: start => log.slice(start).filter(e => e.kind === 'read'),
    /**
     * Reads that neither a signal nor the person's action explains: any read of a route before the first
     * of them after `start`, or more than READS_PER_SIGNAL reads of one route between two. A page that
     * polls makes them while nothing happens (e.g. a request waiting for its approval).
     */
    unexplainedReadsSince(start) {
      const out = [];
      let sinceSignal = new Map();
      let signalled = false;
      for (const e of log.slice(start)) {
        if (e.kind === 'signal' || e.kind === 'action') {
          signalled = true;
          sinceSignal = new Map();
          continue;
        }
        const n = (sinceSignal.get(e.route) ?? 0) + 1;
        sinceSignal.set(e.route, n);
        if (!signalled || n > READS_PER_SIGNAL)
          out.push(
            `${e.pathname} (${signalled ? `read ${n} times since the last signal` : 'before any signal'})`,
          );
      }
      return out;
    },
  };
}
