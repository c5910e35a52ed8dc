import { consistentTotal } from './consistent-total';

describe('consistentTotal', () => {
  const estimated = (value: number) => ({ value, estimated: true });

  it('keeps an exact total as it is', () => {
    expect(consistentTotal({ value: 7, estimated: false }, 0, 7, false)).toEqual({ value: 7, estimated: false });
  });

  it('makes the total exact on the page that ends the matches', () => {
    expect(consistentTotal(estimated(1089), 990, 100, false)).toEqual({ value: 1090, estimated: false });
    expect(consistentTotal(estimated(5000), 20, 3, false)).toEqual({ value: 23, estimated: false });
  });

  it('raises an estimate below the rows served, counting the next page', () => {
    expect(consistentTotal(estimated(1000), 990, 99, true)).toEqual({ value: 1090, estimated: true });
  });

  it('keeps an estimate the page does not contradict', () => {
    expect(consistentTotal(estimated(20_000), 0, 20, true)).toEqual({ value: 20_000, estimated: true });
  });

  it('keeps the estimate for a page past the last match, which cannot tell', () => {
    expect(consistentTotal(estimated(1089), 2000, 0, false)).toEqual({ value: 1089, estimated: true });
  });
});
