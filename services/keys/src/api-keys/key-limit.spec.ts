import { brokenKeyLimit } from './key-limit';

const free = { code: 'free', maxKeys: 5 };
const pro = { code: 'pro', maxKeys: 20 };
const unlimited = { code: 'unlimited', maxKeys: 1000 };

describe('brokenKeyLimit', () => {
  it('allows a total within every plan held', () => {
    expect(brokenKeyLimit(5, [free, pro])).toBeNull();
    expect(brokenKeyLimit(20, [pro, unlimited])).toBeNull();
    expect(brokenKeyLimit(0, [])).toBeNull();
  });

  it('names the plan whose limit the total breaks, however many keys sit on other plans', () => {
    expect(brokenKeyLimit(6, [pro, free])).toEqual(free);
    expect(brokenKeyLimit(21, [unlimited, pro])).toEqual(pro);
  });

  it('names the strictest plan when the total breaks several', () => {
    expect(brokenKeyLimit(21, [pro, free, unlimited])).toEqual(free);
  });
});
