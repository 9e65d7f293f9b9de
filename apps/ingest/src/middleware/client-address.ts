import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The caller's network address, for per-client limits. Behind `trustedProxyHops` proxies (the
 * ALB is one) it is the entry that many places from the right of `X-Forwarded-For`: each proxy
 * appends the address it saw, so entries further left are whatever the client claimed. Without a
 * trusted proxy, the socket's peer. `unknown` when neither is known (in-process tests).
 */
export function clientAddress(c: Context, trustedProxyHops: number): string {
  if (trustedProxyHops > 0) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',');
    const entry = hops[hops.length - trustedProxyHops]?.trim();
    if (entry) return entry;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
