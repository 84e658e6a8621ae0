import { deltaOf, quantileOf } from './histogram';

describe('quantileOf (histogram_quantile)', () => {
  const bounds = [0.01, 0.05, 0.1];

  it('interpolates inside the bucket the rank falls in', () => {
    // 10 observations: 4 <= 10 ms, 4 in (10, 50], 2 in (50, 100]
    const cumulative = [4, 8, 10, 10];
    expect(quantileOf(0.5, bounds, cumulative)).toBeCloseTo(0.01 + 0.04 * (1 / 4));
    expect(quantileOf(0.2, bounds, cumulative)).toBeCloseTo(0.005);
    expect(quantileOf(0.95, bounds, cumulative)).toBeCloseTo(0.05 + 0.05 * (1.5 / 2));
  });

  it('answers the highest finite bound for a rank in +Inf, and null without observations', () => {
    expect(quantileOf(0.99, bounds, [0, 0, 1, 5])).toBe(0.1);
    expect(quantileOf(0.5, bounds, [0, 0, 0, 0])).toBeNull();
  });

  it('takes counter deltas, and the later values as they are after a reset', () => {
    expect(deltaOf([5, 7, 9], [1, 2, 3])).toEqual([4, 5, 6]);
    expect(deltaOf([1, 1, 2], [5, 7, 9])).toEqual([1, 1, 2]);
    expect(deltaOf([1, 2], undefined)).toEqual([1, 2]);
  });
});
