import { sameJson, setCondition } from './status';

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status stays, moves it when the status changes', () => {
    const a = setCondition(
      [],
      { type: 'Approved', status: 'False', reason: 'AwaitingApproval' },
      't1',
    );
    expect(a).toEqual([
      {
        type: 'Approved',
        status: 'False',
        reason: 'AwaitingApproval',
        lastTransitionTime: 't1',
      },
    ]);
    const b = setCondition(
      a,
      {
        type: 'Approved',
        status: 'False',
        reason: 'ApprovalMismatch',
        message: 'x',
      },
      't2',
    );
    expect(b[0]).toMatchObject({
      reason: 'ApprovalMismatch',
      lastTransitionTime: 't1',
    });
    const c = setCondition(
      b,
      { type: 'Approved', status: 'True', reason: 'Approved' },
      't3',
    );
    expect(c[0]).toMatchObject({ status: 'True', lastTransitionTime: 't3' });
    expect(
      setCondition(c, { type: 'Ready', status: 'True' }, 't4').map(x => x.type),
    ).toEqual(['Approved', 'Ready']);
  });
});

describe('sameJson', () => {
  it('ignores the order of keys and undefined values, not a changed value', () => {
    expect(
      sameJson(
        { phase: 'Pending', observedGeneration: 1, c: [{ a: 1, b: 2 }] },
        {
          c: [{ b: 2, a: 1 }],
          observedGeneration: 1,
          phase: 'Pending',
          x: undefined,
        },
      ),
    ).toBe(true);
    // a new generation alone is a change to write
    expect(
      sameJson(
        { phase: 'Pending', observedGeneration: 2 },
        { phase: 'Pending', observedGeneration: 1 },
      ),
    ).toBe(false);
    expect(sameJson({ c: [1, 2] }, { c: [2, 1] })).toBe(false);
  });
});
