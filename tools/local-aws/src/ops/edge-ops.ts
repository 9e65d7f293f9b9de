import { RESOURCE_NAMES } from '@herald/config';
import type { EdgeRequest } from '../http/edge-request';
import type { HttpReply } from '../http/reply';
import type { AlarmBoard } from '../alarm-board';
import type { Mailbox } from '../mailbox';
import type { SqsStore } from '../sqs/sqs-store';
import { createLocalOpsSource, type LocalOpsNames } from './local-ops-source';
import { OpsSampler } from './ops-sampler';
import { answerOps } from './ops-handler';

/** A sampler nobody has looked at for this long stops reading (it starts again on the next look). */
const IDLE_MS = 15 * 60 * 1000;

interface Watch {
  readonly sampler: OpsSampler;
  readonly close: () => void;
  seenAt: number;
}

interface EdgeState {
  readonly mailbox: Mailbox;
  readonly sqs: SqsStore;
  readonly alarms: AlarmBoard;
}

// One set of samplers per edge (keyed by its SQS store), one sampler per watched queue/table.
const watches = new WeakMap<SqsStore, Map<string, Watch>>();

function namesOf(url: URL): LocalOpsNames {
  const param = (name: string, fallback: string) => url.searchParams.get(name) || fallback;
  return {
    queue: param('queue', RESOURCE_NAMES.messageQueue),
    dlq: param('dlq', RESOURCE_NAMES.deadLetterQueue),
    table: param('table', RESOURCE_NAMES.metadataTable),
  };
}

function watch(request: EdgeRequest, state: EdgeState, names: LocalOpsNames): Watch {
  const key = JSON.stringify(names);
  let perEdge = watches.get(state.sqs);
  if (!perEdge) watches.set(state.sqs, (perEdge = new Map<string, Watch>()));
  const existing = perEdge.get(key);
  if (existing) return existing;
  const source = createLocalOpsSource({ ...state, names, edgeUrl: `http://${request.host}` });
  const sampler = new OpsSampler(source);
  const created: Watch = { sampler, close: source.close, seenAt: Date.now() };
  const idle = setInterval(() => {
    if (Date.now() - created.seenAt < IDLE_MS) return;
    clearInterval(idle);
    perEdge.delete(key);
    void sampler.stop().then(source.close);
  }, 10_000);
  idle.unref();
  perEdge.set(key, created);
  sampler.start();
  return created;
}

/**
 * The edge's `/_herald/ops*` endpoints: the live ops page and its JSON snapshot. The first look
 * starts a sampler in the edge's process (`?queue=&dlq=&table=` pick other names than the
 * defaults of `npm start`); it reads every second and keeps 15 minutes.
 */
export function opsRoute(request: EdgeRequest, state: EdgeState): HttpReply {
  const path = request.url.pathname.replace(/\/+$/, '');
  const current =
    path === '/_herald/ops.json' ? watch(request, state, namesOf(request.url)) : undefined;
  if (current) current.seenAt = Date.now();
  return answerOps(request.method, path, () => {
    if (!current) throw new Error('no snapshot outside /_herald/ops.json');
    return current.sampler.snapshot();
  });
}
