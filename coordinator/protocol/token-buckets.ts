/**
 * Rate limits as token buckets, one per key (a socket, a client): each holds up to `capacity`
 * tokens, refilled at `perSecond`; an action takes one, and is refused when none is left. Bursts up
 * to the capacity pass; a steady rate above `perSecond` does not.
 */
export interface TokenBuckets {
  /** true, and takes a token, when `key` may act now */
  take(key: string): boolean;
  /** drops the bucket of `key` (its socket closed) */
  forget(key: string): void;
}

export function createTokenBuckets(options: {
  capacity: number;
  perSecond: number;
  /** milliseconds, any origin */
  now: () => number;
}): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = options.now();
      const bucket = buckets.get(key) ?? { tokens: options.capacity, at: now };
      bucket.tokens = Math.min(options.capacity, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    forget: (key) => void buckets.delete(key),
  };
}
