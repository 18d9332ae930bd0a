import { isDnsLabel, objectName, transferLabels, transferSelector } from '.';

describe('naming', () => {
  it('is deterministic and a DNS label', () => {
    expect(objectName('abc', 'server')).toBe('nst-abc-server');
    expect(objectName('abc', 'server')).toBe(objectName('abc', 'server'));
    const long = 'x'.repeat(70);
    const n = objectName(long, 'endpoint');
    expect(isDnsLabel(n)).toBe(true);
    expect(n).not.toBe(objectName(`${'x'.repeat(69)}y`, 'endpoint'));
  });

  it('labels every object with the manager and the transfer id', () => {
    expect(transferLabels('t1', 'client')).toEqual({
      'app.kubernetes.io/managed-by': 'namespace-transfer',
      'namespace-transfer.io/transfer-id': 't1',
      'namespace-transfer.io/role': 'client',
    });
    expect(transferSelector('t1')).toBe(
      'app.kubernetes.io/managed-by=namespace-transfer,namespace-transfer.io/transfer-id=t1',
    );
  });
});
