import { forbiddenReason, ruleAllows } from './rbac';

const user = { username: 'u', groups: [] };
const attrs = (o: Partial<Parameters<typeof ruleAllows>[1]>) => ({
  user,
  verb: 'get',
  isResourceRequest: true,
  path: '',
  apiGroup: '',
  resource: 'pods',
  ...o,
});

describe('RBAC rules', () => {
  it('matches verbs, groups, resources, subresources and names', () => {
    const rule = {
      apiGroups: [''],
      resources: ['pods', 'pods/log'],
      verbs: ['get', 'list'],
    };
    expect(ruleAllows(rule, attrs({}))).toBe(true);
    expect(ruleAllows(rule, attrs({ subresource: 'log' }))).toBe(true);
    expect(ruleAllows(rule, attrs({ subresource: 'exec' }))).toBe(false);
    expect(ruleAllows(rule, attrs({ verb: 'delete' }))).toBe(false);
    expect(ruleAllows(rule, attrs({ apiGroup: 'apps' }))).toBe(false);
    expect(
      ruleAllows({ ...rule, resourceNames: ['a'] }, attrs({ name: 'a' })),
    ).toBe(true);
    expect(
      ruleAllows({ ...rule, resourceNames: ['a'] }, attrs({ verb: 'list' })),
    ).toBe(false);
    expect(
      ruleAllows(
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        attrs({ apiGroup: 'x', subresource: 'status' }),
      ),
    ).toBe(true);
    expect(
      ruleAllows(
        { apiGroups: [''], resources: ['*/status'], verbs: ['get'] },
        attrs({ subresource: 'status' }),
      ),
    ).toBe(true);
  });

  it('matches non-resource URLs with trailing wildcards', () => {
    const rule = { nonResourceURLs: ['/apis/*', '/version'], verbs: ['get'] };
    expect(
      ruleAllows(
        rule,
        attrs({ isResourceRequest: false, path: '/apis/apps/v1' }),
      ),
    ).toBe(true);
    expect(
      ruleAllows(rule, attrs({ isResourceRequest: false, path: '/metrics' })),
    ).toBe(false);
  });

  it('words denials like the real authorizer', () => {
    expect(
      forbiddenReason(attrs({ verb: 'list', resource: 'persistentvolumes' })),
    ).toBe(
      'User "u" cannot list resource "persistentvolumes" in API group "" at the cluster scope',
    );
    expect(
      forbiddenReason(attrs({ isResourceRequest: false, path: '/metrics' })),
    ).toBe('User "u" cannot get path "/metrics"');
  });
});
