/**
 * Quantiles from Prometheus histogram buckets, the way `histogram_quantile` computes them: find the
 * bucket the rank falls in and interpolate linearly inside it (the first bucket starts at 0). A
 * rank in the `+Inf` bucket answers the highest finite bound. `null` when there is no observation.
 *
 * `bounds` are the finite upper bounds, ascending; `cumulative[i]` the count of observations
 * `<= bounds[i]`, and `cumulative[bounds.length]` the total (the `+Inf` bucket).
 */
export function quantileOf(q: number, bounds: readonly number[], cumulative: readonly number[]): number | null {
  const total = cumulative[bounds.length] ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cumulative[i] >= rank) {
      const lower = i === 0 ? 0 : bounds[i - 1];
      const below = i === 0 ? 0 : cumulative[i - 1];
      const inBucket = cumulative[i] - below;
      return inBucket > 0 ? lower + ((bounds[i] - lower) * (rank - below)) / inBucket : bounds[i];
    }
  }
  return bounds[bounds.length - 1];
}

/** `a - b` element-wise (counter deltas; a counter reset gives the later values as they are). */
export function deltaOf(a: readonly number[], b: readonly number[] | undefined): number[] {
  if (!b) return [...a];
  const reset = a.some((v, i) => v < (b[i] ?? 0));
  return reset ? [...a] : a.map((v, i) => v - (b[i] ?? 0));
}
