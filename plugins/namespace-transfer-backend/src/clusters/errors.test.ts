import { ApiException } from '@kubernetes/client-node';
import { classifyClusterError, withTimeout } from './errors';

describe('classifyClusterError', () => {
  it('reports 401 as a refused token', () => {
    const result = classifyClusterError(
      'east',
      new ApiException(
        401,
        'Unauthorized',
        '{"kind":"Status","message":"Unauthorized"}',
        {},
      ),
    );
    expect(result).toMatchObject({ reason: 'unauthorized', statusCode: 401 });
    expect(result.message).toContain("'east'");
  });

  it('reports 403 with the message of the Status body', () => {
    const body = JSON.stringify({
      kind: 'Status',
      message:
        'persistentvolumeclaims is forbidden: User "x" cannot list resource "persistentvolumeclaims"',
    });
    const result = classifyClusterError(
      'west',
      new ApiException(403, 'Forbidden', body, {}),
    );
    expect(result.reason).toBe('forbidden');
    expect(result.message).toContain(
      'cannot list resource "persistentvolumeclaims"',
    );
  });

  it('reports a refused connection wrapped by fetch as unreachable', () => {
    const cause = Object.assign(
      new Error('connect ECONNREFUSED 127.9.0.1:6443'),
      { code: 'ECONNREFUSED' },
    );
    const error = Object.assign(new Error('request failed'), { cause });
    expect(classifyClusterError('east', error)).toMatchObject({
      reason: 'unreachable',
    });
  });

  it("names neither the request's URL nor a file path, only the cluster", () => {
    const fetchError = Object.assign(
      new Error(
        'request to https://127.9.0.1:6443/api/v1/namespaces/payments/pods?labelSelector=a%3Db failed, reason: connect ECONNREFUSED 127.9.0.1:6443',
      ),
      { type: 'system', code: 'ECONNREFUSED' },
    );
    expect(classifyClusterError('east', fetchError)).toEqual({
      reason: 'unreachable',
      message: "Cluster 'east' is unreachable (ECONNREFUSED)",
    });
    const timeout = Object.assign(
      new Error('network timeout at: https://127.9.0.1:6443/api/v1/pods'),
      { type: 'request-timeout' },
    );
    expect(classifyClusterError('east', timeout)).toEqual({
      reason: 'timeout',
      message: "Cluster 'east' did not answer in time (ETIMEDOUT)",
    });
    expect(
      classifyClusterError(
        'east',
        new Error(
          "Cluster 'east': cannot read its caFile /etc/nt/ca.pem: ENOENT; see http://docs.example/x",
        ),
      ).message,
    ).toBe(
      "Cluster 'east' could not be read: Cluster 'east': cannot read its caFile <path>: ENOENT; see <url>",
    );
    const status = JSON.stringify({
      kind: 'Status',
      message:
        'Internal error: calling webhook "x" at https://hook.svc:443/validate',
    });
    expect(
      classifyClusterError('east', new ApiException(500, 'x', status, {}))
        .message,
    ).toBe(
      'Cluster \'east\' answered 500: Internal error: calling webhook "x" at <url>',
    );
  });

  it('reports certificate failures as tls', () => {
    const error = Object.assign(new Error('self-signed'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(classifyClusterError('east', error).reason).toBe('tls');
  });

  it("reports a certificate failure inside node-fetch's FetchError as tls", () => {
    const error = Object.assign(
      new Error(
        'request failed, reason: self-signed certificate in certificate chain',
      ),
      { type: 'system', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    );
    expect(classifyClusterError('east', error)).toMatchObject({
      reason: 'tls',
    });
  });

  it('reports other statuses with the API server message, and anything else as an error', () => {
    expect(
      classifyClusterError(
        'east',
        new ApiException(500, 'x', { message: 'etcd is down' }, {}),
      ),
    ).toEqual({
      reason: 'error',
      statusCode: 500,
      message: "Cluster 'east' answered 500: etcd is down",
    });
    expect(classifyClusterError('east', new Error('boom'))).toEqual({
      reason: 'error',
      message: "Cluster 'east' could not be read: boom",
    });
  });

  it('reports a timeout', async () => {
    const never = new Promise(() => {});
    const error = await withTimeout(never, 10, 'list pvcs').catch(e => e);
    expect(classifyClusterError('east', error)).toMatchObject({
      reason: 'timeout',
    });
  });

  it('passes through a result that arrives in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1000, 'x')).resolves.toBe(42);
  });

  it('aborts the signal it gives a call at the deadline, so retries stop', async () => {
    let seen: AbortSignal | undefined;
    const error = await withTimeout(
      signal => {
        seen = signal;
        return new Promise(() => {});
      },
      10,
      'x',
    ).catch(e => e);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    await expect(
      withTimeout(async signal => signal.aborted, 1000, 'x'),
    ).resolves.toBe(false);
  });
});
