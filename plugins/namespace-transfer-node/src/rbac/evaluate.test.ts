/** The RBAC rule evaluation the trace-vs-roles test relies on, case by case as the RBAC authorizer decides. */
import { ruleAllows, rulesAllow } from './evaluate';

const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };

describe('ruleAllows', () => {
  it('needs verb, group and resource to match', () => {
    expect(
      ruleAllows(pods, { verb: 'get', apiGroup: '', resource: 'pods' }),
    ).toBe(true);
    expect(
      ruleAllows(pods, { verb: 'create', apiGroup: '', resource: 'pods' }),
    ).toBe(false);
    expect(
      ruleAllows(pods, { verb: 'get', apiGroup: 'apps', resource: 'pods' }),
    ).toBe(false);
    expect(
      ruleAllows(pods, { verb: 'get', apiGroup: '', resource: 'services' }),
    ).toBe(false);
  });

  it('grants a subresource only when named (or by */sub or *), never through its resource', () => {
    const log = {
      verb: 'get',
      apiGroup: '',
      resource: 'pods',
      subresource: 'log',
    };
    expect(ruleAllows(pods, log)).toBe(false);
    expect(ruleAllows({ ...pods, resources: ['pods/log'] }, log)).toBe(true);
    expect(ruleAllows({ ...pods, resources: ['*/log'] }, log)).toBe(true);
    expect(ruleAllows({ ...pods, resources: ['*'] }, log)).toBe(true);
    expect(
      ruleAllows(
        { ...pods, resources: ['pods/log'] },
        { ...log, subresource: undefined },
      ),
    ).toBe(false);
  });

  it('takes * for verbs and groups', () => {
    const any = { apiGroups: ['*'], resources: ['deployments'], verbs: ['*'] };
    expect(
      ruleAllows(any, {
        verb: 'update',
        apiGroup: 'apps',
        resource: 'deployments',
      }),
    ).toBe(true);
  });

  it('limits by resource names to requests that name one of them', () => {
    const named = { ...pods, resourceNames: ['a'] };
    expect(
      ruleAllows(named, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        name: 'a',
      }),
    ).toBe(true);
    expect(
      ruleAllows(named, {
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        name: 'b',
      }),
    ).toBe(false);
    expect(
      ruleAllows(named, { verb: 'list', apiGroup: '', resource: 'pods' }),
    ).toBe(false);
  });

  it('never grants a resource through a non-resource rule', () => {
    expect(
      ruleAllows(
        { nonResourceURLs: ['*'], verbs: ['*'] },
        { verb: 'get', apiGroup: '', resource: 'pods' },
      ),
    ).toBe(false);
  });

  it('rulesAllow: any rule that allows', () => {
    const svc = { apiGroups: [''], resources: ['services'], verbs: ['create'] };
    expect(
      rulesAllow([pods, svc], {
        verb: 'create',
        apiGroup: '',
        resource: 'services',
      }),
    ).toBe(true);
    expect(
      rulesAllow([], { verb: 'get', apiGroup: '', resource: 'pods' }),
    ).toBe(false);
  });
});
