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
