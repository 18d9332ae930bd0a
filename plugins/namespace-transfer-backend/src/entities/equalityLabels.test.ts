import { equalityLabels } from './equalityLabels';
import { LabelSelectorSyntaxError } from './labelSelector';

describe('equalityLabels', () => {
  it.each([
    ['backstage.io/kubernetes-id=db', { 'backstage.io/kubernetes-id': 'db' }],
    ['app==db,tier in (data)', { app: 'db', tier: 'data' }],
    ['app=db,env!=prod,!legacy,team', { app: 'db' }],
    ['env!=prod', {}],
    ['env notin (a,b),!legacy', {}],
    ['env in (a,b)', {}],
    ['team', {}],
    ['', {}],
  ])('%j → %j', (selector, labels) => {
    expect(equalityLabels(selector)).toEqual(labels);
  });

  it('says null for a selector that wants two values of one key', () => {
    expect(equalityLabels('app=a,app=b')).toBeNull();
  });

  it('refuses what Kubernetes refuses', () => {
    expect(() => equalityLabels('app=(')).toThrow(LabelSelectorSyntaxError);
  });
});
