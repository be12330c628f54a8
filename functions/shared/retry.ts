/**
 * Retries the functions make themselves, on top of the SDK's own (both use exponential backoff
 * with "full jitter": https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
 */

/** Backoff settings for a loop that decides itself which errors to retry. */
export interface RetrySettings {
  /** Attempts in all, first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 20000 };

/** "Full jitter" exponential backoff: a random delay in [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * Math.pow(2, attempt));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Error names, HTTP statuses and socket errors worth another attempt after a pause. */
export function isRetryableError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; retryable?: boolean };
  if (!e) return false;
  if (e.retryable === true) return true;
  if (e.$retryable) return true;
  const name = e.name || "";
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|ServiceUnavailable|InternalFailure|InternalError|RequestTimeout|TimeoutError/i.test(name))
    return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && (status >= 500 || status === 429)) return true;
  const code = e.code || "";
  return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE", "EAI_AGAIN"].includes(code);
}

/** Error names that mean "slow down and try again". */
export function isThrottle(err: any): boolean {
  const name = err && (err.name || err.Code || err.code);
  return (
    name === "ThrottlingException" ||
    name === "Throttling" ||
    name === "TooManyRequestsException" ||
    name === "RequestLimitExceeded" ||
    name === "ServiceUnavailableException" ||
    name === "SlowDown" ||
    !!(err && err.$retryable && err.$retryable.throttling)
  );
}

export interface RetryOptions {
  /** Total attempts, including the first. */
  attempts: number;
  /** First back-off; doubles each retry, with full jitter. */
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Run `fn`, retrying throttling errors with exponential back-off and full jitter. Any other error,
 * or the last throttling error, is rethrown.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  let attempt = 0;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      attempt++;
      if (!isThrottle(err) || attempt >= opts.attempts) throw err;
      const cap = opts.baseDelayMs * Math.pow(2, attempt - 1);
      await opts.sleep(Math.floor(Math.random() * cap) + 1);
    }
  }
}
