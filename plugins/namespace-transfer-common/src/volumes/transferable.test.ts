import { resolveTransferable } from './transferable';
import { TRANSFERABLE_ANNOTATION } from './types';

const flag = (value: string) => ({ [TRANSFERABLE_ANNOTATION]: value });

describe('resolveTransferable', () => {
  it('defaults to transferable without annotations', () => {
    expect(resolveTransferable(undefined, undefined)).toMatchObject({
      transferable: true,
      source: 'default',
    });
  });

  it('honours a namespace opt-out', () => {
    expect(resolveTransferable({}, flag('false'))).toMatchObject({
      transferable: false,
      source: 'namespace-annotation',
    });
  });

  it('lets the PVC annotation override the namespace', () => {
    expect(resolveTransferable(flag('true'), flag('false'))).toMatchObject({
      transferable: true,
      source: 'pvc-annotation',
    });
    expect(resolveTransferable(flag('false'), flag('true'))).toMatchObject({
      transferable: false,
      source: 'pvc-annotation',
    });
  });

  it('treats an unreadable value as an opt-out and says which object set it', () => {
    const result = resolveTransferable(flag('maybe'), undefined);
    expect(result.transferable).toBe(false);
    expect(result.reason).toContain('PVC');
    expect(result.reason).toContain('maybe');
  });

  it('accepts case and whitespace variations of true/false', () => {
    expect(resolveTransferable(flag(' FALSE '), undefined).transferable).toBe(
      false,
    );
    expect(resolveTransferable(undefined, flag('True')).transferable).toBe(
      true,
    );
  });
});
