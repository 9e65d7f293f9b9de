import type { IncomingHttpHeaders } from 'node:http';

/** A request as the edge hands it to a service: body read, client host known. */
export interface EdgeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** host[:port] the client addressed (its Host header), used to build queue URLs. */
  readonly host: string;
  /** Aborted when the client disconnects or the edge shuts down. */
  readonly signal: AbortSignal;
}

/** A header's single value (the first, if repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The access key id of a SigV4 Authorization header, if any (credentials are never checked). */
export function accessKeyId(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(headerValue(headers, 'authorization') ?? '')?.[1];
}

/** The region a SigV4 Authorization header was signed for (`eu-west-1`…), if any. */
export function signedRegion(headers: IncomingHttpHeaders): string | undefined {
  const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(
    headerValue(headers, 'authorization') ?? '',
  )?.[1];
  // Only a plausible region name may reach ARNs.
  return region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : undefined;
}

/** The service a SigV4 Authorization header was signed for (`sqs`, `sns`, `dynamodb`…). */
export function signedService(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(
    headerValue(headers, 'authorization') ?? '',
  )?.[1];
}
