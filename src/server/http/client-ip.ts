import net from "node:net";
import type { FastifyRequest } from "fastify";

/**
 * The client's address as far as it can be trusted: what TRUST_PROXY lets Fastify read from
 * `X-Forwarded-For`, but only when that is an IP address. A forwarded value that is not one
 * (junk, a script, a name) is ignored for the connection's own address: it is never stored in
 * sessions or events, nor used as a throttle key.
 */
export function clientIp(request: FastifyRequest): string | null {
  if (request.ip && net.isIP(request.ip) !== 0) return request.ip;
  const own = request.socket?.remoteAddress;
  return own && net.isIP(own) !== 0 ? own : null;
}
