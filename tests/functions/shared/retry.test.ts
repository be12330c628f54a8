/** functions/shared/retry.ts: the backoff the audit-log functions use between their own retries. */
import { backoffDelay } from "../../../functions/shared/retry";

describe("retry", () => {
  test("backoff is full jitter under an exponential, capped ceiling", () => {
    const s = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, s, () => 0.999)).toBe(99);
    expect(backoffDelay(3, s, () => 0.5)).toBe(400);
    expect(backoffDelay(10, s, () => 0.999)).toBe(999);
    expect(backoffDelay(2, s, () => 0)).toBe(0);
  });
});
