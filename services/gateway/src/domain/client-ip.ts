/**
 * The client address the rate limits count by. `X-Forwarded-For` is believed for exactly the
 * configured number of proxy hops in front of the gateway (the ingress, a load balancer), never for
 * whoever sent it: with `hops` trusted proxies, the client is the address the outermost of them saw,
 * i.e. the `hops`-th entry from the right. With 0 hops the header is ignored and the socket's peer counts.
 */
export function clientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number,
): string {
  const peer = socketAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const chain = header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (chain.length === 0) return peer;
  // The last `hops - 1` entries were written by inner trusted proxies; the one before them by the outermost.
  return chain[Math.max(0, chain.length - hops)] ?? peer;
}
