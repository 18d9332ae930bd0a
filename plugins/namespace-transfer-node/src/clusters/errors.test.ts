import { ApiException } from '@kubernetes/client-node';
import { describeFailure, isTransient, readableError, statusMessage } from '.';

const sys = (code: string) => Object.assign(new Error(code), { code });
/** node-fetch's FetchError as client-node 1.x throws it */
const fetchError = (code: string) =>
  Object.assign(new Error(`request failed, reason: ${code}`), {
    type: 'system',
    code,
    errno: code,
  });

describe('describeFailure', () => {
  it('reports the HTTP status and the API server Status message', () => {
    const body = JSON.stringify({
      kind: 'Status',
      message: 'pods is forbidden: User "x" cannot list resource "pods"',
    });
    expect(
      describeFailure(new ApiException(403, 'Forbidden', body, {})),
    ).toMatchObject({
      kind: 'http',
      status: 403,
      detail: 'pods is forbidden: User "x" cannot list resource "pods"',
      transient: false,
    });
    expect(
      describeFailure(new ApiException(503, 'x', { message: 'busy' }, {})),
    ).toMatchObject({
      kind: 'http',
      status: 503,
      detail: 'busy',
      transient: true,
    });
    expect(statusMessage(new ApiException(500, 'x', ' not json ', {}))).toBe(
      'not json',
    );
  });

  it('looks through fetch wrappers for the connection failure', () => {
    expect(
      describeFailure(
        new Error('request failed', { cause: sys('ECONNREFUSED') }),
      ),
    ).toMatchObject({
      kind: 'unreachable',
      code: 'ECONNREFUSED',
      transient: true,
    });
    expect(describeFailure(fetchError('ENETUNREACH'))).toMatchObject({
      kind: 'unreachable',
      transient: true,
    });
    expect(describeFailure(sys('ESOCKETTIMEDOUT'))).toMatchObject({
      kind: 'timeout',
      transient: true,
    });
    expect(
      describeFailure(Object.assign(new Error('t'), { name: 'TimeoutError' })),
    ).toMatchObject({ kind: 'timeout', code: 'ETIMEDOUT' });
  });

  it('reports certificate failures as tls, and never retries them', () => {
    for (const code of [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
      'ERR_SSL_WRONG_VERSION_NUMBER',
    ]) {
      expect(describeFailure(fetchError(code))).toMatchObject({
        kind: 'tls',
        code,
        transient: false,
      });
      expect(isTransient(fetchError(code))).toBe(false);
    }
  });

  it('keeps retrying other socket failures, and not bugs or a caller abort', () => {
    expect(describeFailure(fetchError('EWHATEVER'))).toMatchObject({
      kind: 'other',
      transient: true,
    });
    expect(describeFailure(new TypeError('x is undefined'))).toMatchObject({
      kind: 'other',
      message: 'x is undefined',
      transient: false,
    });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(isTransient(abort)).toBe(false);
  });
});

describe('readableError', () => {
  const status = (code: number, message: string) =>
    new ApiException(
      code,
      'Unknown API Status Code!',
      JSON.stringify({ kind: 'Status', message }),
      { 'audit-id': 'a1' },
    );

  it('says who may not do what where, instead of the client dump', () => {
    expect(
      readableError(
        status(
          403,
          'services is forbidden: User "system:serviceaccount:nst:engine" cannot create resource "services" in API group "" in the namespace "shop"',
        ),
      ),
    ).toBe(
      'forbidden: cannot create services in namespace shop (as system:serviceaccount:nst:engine)',
    );
    expect(
      readableError(
        status(
          403,
          'routes.route.openshift.io is forbidden: User "u" cannot list resource "routes" in API group "route.openshift.io" at the cluster scope',
        ),
      ),
    ).toBe(
      'forbidden: cannot list routes.route.openshift.io cluster-wide (as u)',
    );
  });

  it('gives other statuses a word and the API server message, and never the headers', () => {
    const text = readableError(
      status(
        422,
        'PersistentVolumeClaim "x" is invalid: spec.resources: Required value',
      ),
    );
    expect(text).toBe(
      'invalid: PersistentVolumeClaim "x" is invalid: spec.resources: Required value',
    );
    expect(text).not.toMatch(/HTTP-Code|audit-id|Headers/);
    expect(readableError(new Error('one\ntwo'))).toBe('one two');
  });
});
