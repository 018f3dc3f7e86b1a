/**
 * The client-side limits the reads keep to: a token bucket (a burst, then one call per gap) and
 * a bound on calls in flight that keeps the items' order.
 */
import { describe, expect, it } from 'vitest';
import { mapBounded, rateLimiter } from '../../lambdas/aws/paging.ts';

describe('rateLimiter', () => {
  it('lets a burst start at once, then one call per 1/perSecond', async () => {
    const slot = rateLimiter(20, 5); // a gap of 50 ms
    const started = Date.now();
    const at: number[] = [];
    await Promise.all(Array.from({ length: 8 }, () => slot().then(() => at.push(Date.now() - started))));
    at.sort((a, b) => a - b);
    expect(at.slice(0, 5).every((t) => t < 40)).toBe(true);
    // The 6th, 7th and 8th wait one, two and three gaps.
    expect(at[5]).toBeGreaterThanOrEqual(45);
    expect(at[7]).toBeGreaterThanOrEqual(145);
  });
});

describe('mapBounded', () => {
  it('keeps at most that many in flight and the results in order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n * 3));
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });
});
