import { Expectations } from './expectations';

describe('Expectations', () => {
  it('is satisfied once every expected add and delete was observed', () => {
    const e = new Expectations();
    expect(e.satisfied('rs')).toBe(true);
    e.expect('rs', 2, ['p1']);
    e.observedAdd('rs');
    expect(e.satisfied('rs')).toBe(false);
    e.observedAdd('rs');
    expect(e.satisfied('rs')).toBe(false);
    e.observedDelete('rs', 'p1');
    expect(e.satisfied('rs')).toBe(true);
  });

  it('counts failed creations as never coming, and expires', () => {
    const e = new Expectations(10);
    e.expect('a', 3);
    e.lowerAdds('a', 3);
    expect(e.satisfied('a')).toBe(true);
    e.expect('b', 1);
    const until = Date.now() + 20;
    while (Date.now() < until) {
      /* wait past the ttl */
    }
    expect(e.satisfied('b')).toBe(true);
  });
});
