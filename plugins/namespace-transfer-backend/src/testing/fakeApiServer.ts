import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the fake API server received. */
export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** when it arrived (Date.now()) */
  at: number;
}

/** What the handler answers: a status and a JSON body, 'hang' (never answer), or undefined (the default). */
export type FakeAnswer =
  { status?: number; body: unknown } | 'hang' | undefined;

export interface FakeApiServer {
  url: string;
  requests: FakeRequest[];
  /** responses not sent whose connection is still open */
  readonly open: number;
  /** responses never sent because the client closed the connection */
  readonly abandoned: number;
  close(): Promise<void>;
}

const list = (items: unknown[] = []) => ({
  kind: 'List',
  apiVersion: 'v1',
  metadata: {},
  items,
});

/** What a Kubernetes API server answers where the test's handler says nothing: empty lists, no groups. */
function defaultAnswer(req: FakeRequest): { status?: number; body: unknown } {
  if (req.path === '/apis')
    return { body: { kind: 'APIGroupList', apiVersion: 'v1', groups: [] } };
  if (req.path === '/version')
    return { body: { major: '1', minor: '30', gitVersion: 'v1.30.0' } };
  const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(req.path);
  if (ns)
    return {
      body: {
        kind: 'Namespace',
        apiVersion: 'v1',
        metadata: { name: ns[1], annotations: {} },
      },
    };
  return { body: list() };
}

/**
 * A stand-in for a Kubernetes API server over plain http on loopback, for tests that count, delay or fail
 * the requests the backend makes (kube-sim is the real thing; this one answers in microseconds and says
 * exactly what it was asked).
 */
export async function startFakeApiServer(
  handler: (req: FakeRequest) => FakeAnswer = () => undefined,
): Promise<FakeApiServer> {
  const requests: FakeRequest[] = [];
  let open = 0;
  let abandoned = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      at: Date.now(),
    };
    requests.push(request);
    const answer = handler(request) ?? defaultAnswer(request);
    if (answer === 'hang') {
      open++;
      res.on('close', () => {
        open--;
        if (!res.writableFinished) abandoned++;
      });
      return;
    }
    res.writeHead(answer.status ?? 200, {
      'content-type': 'application/json',
    });
    res.end(JSON.stringify(answer.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get open() {
      return open;
    },
    get abandoned() {
      return abandoned;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export { list as fakeList };
