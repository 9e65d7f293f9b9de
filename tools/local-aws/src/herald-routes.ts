import type { EdgeRequest } from './http/edge-request';
import { jsonReply, type HttpReply } from './http/reply';
import type { Mailbox } from './mailbox';

const JSON_TYPE = 'application/json';

function reply(status: number, body: unknown): HttpReply {
  return jsonReply(status, body, {}, JSON_TYPE);
}

function mailboxRoute(request: EdgeRequest, mailbox: Mailbox): HttpReply {
  if (request.method === 'GET') {
    const topic = request.url.searchParams.get('topic') ?? undefined;
    return reply(200, { messages: mailbox.list({ topic }) });
  }
  if (request.method === 'DELETE') return reply(200, { cleared: mailbox.clear() });
  return reply(405, { message: 'Use GET or DELETE on /_herald/mailbox.' });
}

/**
 * The emulator's own endpoints: `GET /_herald/health`, `GET /_herald/mailbox[?topic=]` and
 * `DELETE /_herald/mailbox`.
 */
export function handleHeraldRequest(request: EdgeRequest, mailbox: Mailbox): HttpReply {
  const path = request.url.pathname.replace(/\/+$/, '');
  if (path === '/_herald/health')
    return reply(200, { status: 'ok', services: ['sqs', 'sns', 'dynamodb'] });
  if (path === '/_herald/mailbox') return mailboxRoute(request, mailbox);
  return reply(404, { message: `No emulator endpoint at ${request.url.pathname}.` });
}
