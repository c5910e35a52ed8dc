import { rangeParts } from './range-totals';

const H = 3_600_000;
const at = (hours: number, minutes = 0) => Date.UTC(2026, 10, 20) + hours * H + minutes * 60_000;

describe('rangeParts', () => {
  const now = at(30);

  it('reads whole hours from the rollups and the parts of hours at the ends from the logs', () => {
    expect(rangeParts(at(2), at(5), now)).toEqual({ hours: [at(2), at(5)], edges: [] });
    expect(rangeParts(at(2, 10), at(5, 20), now)).toEqual({ hours: [at(3), at(5)], edges: [[at(2, 10), at(3)], [at(5), at(5, 20)]] });
  });

  it('reads a range inside one hour from the logs alone', () => {
    expect(rangeParts(at(2, 10), at(2, 50), now)).toEqual({ hours: null, edges: [[at(2, 10), at(2, 50)]] });
    expect(rangeParts(at(2, 10), at(3, 0), now)).toEqual({ hours: null, edges: [[at(2, 10), at(3)]] });
    expect(rangeParts(at(2), at(2), now)).toEqual({ hours: null, edges: [] });
  });

  it('takes the hour of an end at or after now whole: no call is logged after now', () => {
    expect(rangeParts(at(0), at(30, 15), at(30, 15))).toEqual({ hours: [at(0), at(31)], edges: [] });
    expect(rangeParts(at(29, 50), at(30, 15), at(30, 15))).toEqual({ hours: [at(30), at(31)], edges: [[at(29, 50), at(30)]] });
    expect(rangeParts(at(30, 5), at(30, 15), at(30, 15))).toEqual({ hours: null, edges: [[at(30, 5), at(30, 15)]] });
  });
});
