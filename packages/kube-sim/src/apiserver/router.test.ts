import { parseRequest } from './router';

const q = (s = '') => new URLSearchParams(s);

describe('parseRequest', () => {
  it('derives verb, group, namespace, resource, name and subresource', () => {
    expect(
      parseRequest('GET', '/api/v1/namespaces/ns/pods', q()),
    ).toMatchObject({
      verb: 'list',
      group: '',
      version: 'v1',
      namespace: 'ns',
      resource: 'pods',
    });
    expect(
      parseRequest('GET', '/api/v1/namespaces/ns/pods', q('watch=1')),
    ).toMatchObject({ verb: 'watch' });
    expect(
      parseRequest(
        'GET',
        '/apis/apps/v1/namespaces/ns/deployments/d/scale',
        q(),
      ),
    ).toMatchObject({
      verb: 'get',
      group: 'apps',
      resource: 'deployments',
      name: 'd',
      subresource: 'scale',
    });
    expect(
      parseRequest('DELETE', '/api/v1/namespaces/ns/secrets', q()),
    ).toMatchObject({ verb: 'deletecollection' });
    expect(
      parseRequest('PUT', '/api/v1/namespaces/ns/finalize', q()),
    ).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      subresource: 'finalize',
    });
    expect(parseRequest('GET', '/api/v1/namespaces/ns', q())).toMatchObject({
      resource: 'namespaces',
      name: 'ns',
      verb: 'get',
    });
    expect(
      parseRequest('GET', '/api/v1/watch/namespaces/ns/pods', q()),
    ).toMatchObject({ verb: 'watch', resource: 'pods', namespace: 'ns' });
  });

  it('marks discovery and other paths as non-resource requests', () => {
    expect(parseRequest('GET', '/apis/apps/v1', q())).toMatchObject({
      isResourceRequest: false,
      discovery: { group: 'apps', version: 'v1' },
    });
    expect(parseRequest('GET', '/version', q())).toMatchObject({
      isResourceRequest: false,
      verb: 'get',
    });
  });
});
