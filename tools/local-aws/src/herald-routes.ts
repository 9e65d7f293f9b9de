import type { EdgeRequest } from './http/edge-request';
import { jsonReply, type HttpReply } from './http/reply';
import type { AlarmBoard } from './alarm-board';
import { opsRoute } from './ops/edge-ops';
import type { Mailbox } from './mailbox';
import type { SqsStore } from './sqs/sqs-store';

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

/** What the developer endpoints read. */
export interface HeraldRouteState {
  readonly mailbox: Mailbox;
  readonly sqs: SqsStore;
  readonly alarms: AlarmBoard;
}

/** Per-queue counters, with the age of the oldest message (GetQueueAttributes has none). */
function queuesRoute(sqs: SqsStore): HttpReply {
  const now = Date.now();
  const queues = sqs.list().map((queue) => {
    const counts = queue.counts();
    const oldest = queue.oldestSentAt();
    return {
      name: queue.name,
      arn: queue.arn,
      ...counts,
      oldestMessageAgeSeconds: oldest === undefined ? 0 : Math.floor((now - oldest) / 1000),
    };
  });
  return reply(200, { queues });
}

/**
 * The emulator's own endpoints: `GET /_herald/health`, `GET /_herald/mailbox[?topic=]`,
 * `DELETE /_herald/mailbox`, `GET /_herald/queues` and `GET /_herald/alarms`.
 */
export function handleHeraldRequest(request: EdgeRequest, state: HeraldRouteState): HttpReply {
  const path = request.url.pathname.replace(/\/+$/, '');
  if (path === '/_herald/health')
    return reply(200, { status: 'ok', services: ['sqs', 'sns', 'dynamodb'] });
  if (path === '/_herald/mailbox') return mailboxRoute(request, state.mailbox);
  if (path === '/_herald/ops' || path.startsWith('/_herald/ops')) return opsRoute(request, state);
  if (path === '/_herald/queues' || path === '/_herald/alarms') {
    if (request.method !== 'GET') return reply(405, { message: `Use GET on ${path}.` });
    return path === '/_herald/queues'
      ? queuesRoute(state.sqs)
      : reply(200, { alarms: state.alarms.list() });
  }
  return reply(404, { message: `No emulator endpoint at ${request.url.pathname}.` });
}
