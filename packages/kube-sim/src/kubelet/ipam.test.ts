import { intToIp, ipToInt, PodIPAllocator } from './ipam';

describe('PodIPAllocator', () => {
  it('round-trips addresses', () => {
    expect(intToIp(ipToInt('127.123.1.254'))).toBe('127.123.1.254');
  });

  it('allocates distinct host addresses per uid, stably, and recycles only after moving on', () => {
    const a = new PodIPAllocator({ first: '127.5.1.254', last: '127.5.2.2' });
    const x = a.allocate('x');
    expect(x).toBe('127.5.1.254');
    expect(a.allocate('x')).toBe(x);
    expect(a.allocate('y')).toBe('127.5.2.1'); // .255 and .0 skipped
    a.release('x');
    expect(a.allocate('z')).toBe('127.5.2.2');
    expect(a.allocate('w')).toBe('127.5.1.254');
    expect(() => a.allocate('v')).toThrow(/exhausted/);
  });

  it('reserves addresses held before a restart', () => {
    const a = new PodIPAllocator({ first: '127.5.1.1', last: '127.5.1.3' });
    expect(a.reserve('old', '127.5.1.1')).toBe(true);
    expect(a.reserve('dup', '127.5.1.1')).toBe(false);
    expect(a.allocate('new')).toBe('127.5.1.2');
  });
});
