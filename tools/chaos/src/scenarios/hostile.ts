import { connect, type Socket } from 'node:net';
import { inspect, isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDatabase, ensureApiKey, revokeApiKey } from '@herald/db';
import { messageStatusKey } from '@herald/metadata';
import { buildCorpus } from '../hostile/corpus';
import type { HostileCase, StoredExpectation } from '../hostile/hostile-case';
import { judgeAnswer } from '../hostile/judge-answer';
import { sendRaw } from '../hostile/raw-http';
import type { Harness } from '../harness';
import type { ScenarioResult } from '../report';
import { dlqDepth, newLedger, type ScenarioContext } from './context';

const IDLE_SOCKETS = 2_000;
/** Requests a second: under the per-key rate limit (100/s), so no case is answered 429. */
const PACE_PER_SECOND = 60;
const CONCURRENCY = 8;
const SLOW_BOUND_MS = 45_000;

interface Accepted {
  readonly caseId: string;
  /** The case's label: id, class and defect, as failure lines start. */
  readonly label: string;
  readonly id: string;
  readonly expected: StoredExpectation | undefined;
}

/**
 * docs/invariants.md#6 against a hostile producer: every case answered with a 4xx problem document (or
 * a closed connection for oversized and slow requests), no 5xx, whatever was acknowledged
 * stored unchanged (the DLQ stays empty), and the server healthy afterwards.
 */
export async function hostileScenario(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { h, options } = ctx;
  const started = Date.now();
  const ledger = await newLedger(h, 'hostile');
  const dlqBefore = await dlqDepth(h);
  const corpus = buildCorpus({
    key: ledger.key,
    otherTenantMessageId: await otherTenantMessage(h),
    revokedKey: await revokedKey(h, ledger.tenant),
    seed: options.seed,
    generated: options.hostileGenerated,
    slowBoundMs: SLOW_BOUND_MS,
  });
  const port = Number(new URL(h.ingestUrl).port);
  const logMark = h.ingest.tail(400).length;
  const failures: string[] = [];
  const accepted: Accepted[] = [];
  const outcomes = new Map<string, number>();
  const record = (item: HostileCase, verdict: ReturnType<typeof judgeAnswer>, summary: string) => {
    outcomes.set(summary, (outcomes.get(summary) ?? 0) + 1);
    if (verdict.failure) failures.push(label(item, verdict.failure));
    for (const { id, index } of verdict.accepted) {
      const stored: StoredExpectation | undefined = isList(item.stored)
        ? item.stored[index]
        : item.stored;
      accepted.push({ caseId: item.id, label: label(item, '').slice(0, -2), id, expected: stored });
    }
  };
  const run = async (item: HostileCase) => {
    const outcome = await sendRaw(port, item.request, item.timeoutMs ?? 20_000);
    record(
      item,
      judgeAnswer(item, outcome),
      outcome.kind === 'response' ? String(outcome.status) : outcome.kind,
    );
  };
  const slow = corpus.filter((item) => item.kind === 'slow');
  const slowRuns = Promise.all(slow.map(run));
  const queue = corpus.filter((item) => item.kind !== 'slow');
  let next = 0;
  const paceStart = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < queue.length) {
        const index = next++;
        const due = paceStart + (index * 1000) / PACE_PER_SECOND;
        if (due > Date.now()) await sleep(due - Date.now());
        const item = queue[index];
        if (item) await run(item);
      }
    }),
  );
  failures.push(...(await idleSockets(h)));
  await slowRuns;
  ledger.sent = corpus.length;
  const storage = await verifyStorage(h, ledger.tenant, accepted, 90_000);
  failures.push(...storage.failures);
  const deadLettered = (await dlqDepth(h)) - dlqBefore;
  if (deadLettered !== 0)
    failures.push(`the DLQ gained ${deadLettered} message(s): acknowledged, then not stored`);
  failures.push(...(await healthAfter(h, ledger.key)));
  const errorLines = h.ingest
    .tail(400)
    .slice(logMark)
    .filter((line) => /"level":(50|60|"error"|"fatal")|"status":5\d\d/.test(line));
  if (errorLines.length > 0)
    failures.push(
      `the ingest logged ${errorLines.length} error line(s), first: ${errorLines[0]?.slice(0, 300) ?? ''}`,
    );
  const defects = [
    ...new Set(
      corpus
        .filter((item) => failures.some((f) => f.startsWith(`${item.id} `)))
        .flatMap((item) => (item.defect ? [item.defect] : [])),
    ),
  ].sort();
  return {
    scenario: 'hostile',
    sent: corpus.length,
    acknowledged: accepted.length,
    stored: storage.stored,
    duplicates: 0,
    lost: accepted.length - storage.stored,
    deadLettered,
    recoveryMs: null,
    passed: failures.length === 0,
    failures,
    lostIds: storage.lostIds,
    duplicateIds: [],
    figures: {
      cases: corpus.length,
      failedCases: failures.length,
      defectsRegressed: defects.join(',') || 'none',
      answers: JSON.stringify(Object.fromEntries(outcomes)),
    },
    durationMs: Date.now() - started,
  };
}

function isList(
  stored: HostileCase['stored'],
): stored is readonly (StoredExpectation | undefined)[] {
  return Array.isArray(stored);
}

function label(item: HostileCase, failure: string): string {
  return `${item.id} [${item.kind}${item.defect ? `, regression of issue 9 defect ${item.defect}` : ''}]: ${failure}`;
}

async function otherTenantMessage(h: Harness): Promise<string> {
  const other = await newLedger(h, 'other');
  const response = await fetch(`${h.ingestUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${other.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'hostile', body: 'theirs' }),
  });
  if (response.status !== 202)
    throw new Error(`the other tenant's message was answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

async function revokedKey(h: Harness, tenant: string): Promise<string> {
  const secret = `hk_chaos_revoked_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`;
  const db = createDatabase(h.pool);
  const { id } = await ensureApiKey(db, {
    tenant,
    name: 'revoked',
    scopes: ['messages:write', 'messages:read'],
    secret,
  });
  await revokeApiKey(db, id);
  return secret;
}

/** 2,000 idle connections held open; a real request must still be answered promptly. */
async function idleSockets(h: Harness): Promise<string[]> {
  const port = Number(new URL(h.ingestUrl).port);
  const sockets: Socket[] = [];
  const failures: string[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: IDLE_SOCKETS },
        () =>
          new Promise<void>((done) => {
            const socket = connect({ host: '127.0.0.1', port }, done);
            socket.on('error', () => {
              done();
            });
            sockets.push(socket);
          }),
      ),
    );
    const open = sockets.filter((socket) => !socket.destroyed).length;
    const started = Date.now();
    const response = await fetch(`${h.ingestUrl}/healthz`, {
      signal: AbortSignal.timeout(10_000),
    }).catch(() => undefined);
    const ms = Date.now() - started;
    if (response?.status !== 200)
      failures.push(
        `idle-sockets [sockets]: with ${open} idle sockets /healthz answered ${String(response?.status ?? 'nothing')}`,
      );
    else if (ms > 5_000)
      failures.push(`idle-sockets [sockets]: with ${open} idle sockets /healthz took ${ms} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  return failures;
}

/** Waits for every acknowledged id to settle, then compares PostgreSQL's copy with what was sent. */
async function verifyStorage(
  h: Harness,
  tenant: string,
  accepted: readonly Accepted[],
  boundMs: number,
) {
  const failures: string[] = [];
  const lostIds: string[] = [];
  const deadline = Date.now() + boundMs;
  let stored = 0;
  for (const item of accepted) {
    let row: { body: string; attributes: string; channel: string } | undefined;
    let status: { status?: string; reason?: string } | undefined;
    for (;;) {
      row = (
        await h.pool.query<{ body: string; attributes: string; channel: string }>(
          'select body::text as body, attributes::text as attributes, channel from messages where id = $1',
          [item.id],
        )
      ).rows[0];
      if (row) break;
      const { Item } = await h.dynamo.send(
        new GetCommand({
          TableName: h.stack.metadataTable,
          Key: messageStatusKey(tenant, item.id),
          ConsistentRead: true,
        }),
      );
      status = Item as typeof status;
      if (
        status?.status === 'rejected' ||
        status?.status === 'dead_lettered' ||
        Date.now() > deadline
      )
        break;
      await sleep(500);
    }
    if (!row) {
      lostIds.push(item.id);
      failures.push(
        `${item.label}: acknowledged ${item.id}, then not stored (status ${status?.status ?? 'none yet'}${status?.reason ? `: ${status.reason.slice(0, 120)}` : ''})`,
      );
      continue;
    }
    stored += 1;
    const difference = compareStored(row, item.expected);
    if (difference)
      failures.push(`${item.label}: acknowledged ${item.id}, stored changed: ${difference}`);
  }
  return { stored, lostIds, failures };
}

/** Rebuilds objects with ordinary prototypes (fast-check makes some without): equality is about data. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    Object.defineProperty(copy, key, {
      value: plain(inner),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
}

function compareStored(
  row: { body: string; attributes: string; channel: string },
  expected: StoredExpectation | undefined,
): string | undefined {
  if (!expected) return undefined;
  if (expected.bodyTextIncludes !== undefined && !row.body.includes(expected.bodyTextIncludes))
    return `body ${row.body.slice(0, 80)} lacks ${expected.bodyTextIncludes.slice(0, 40)}`;
  if ('body' in expected && !isDeepStrictEqual(JSON.parse(row.body), plain(expected.body)))
    return `body ${row.body.slice(0, 80)} ≠ ${inspect(expected.body, { depth: 4 }).slice(0, 80)}`;
  if (
    expected.attributes &&
    !isDeepStrictEqual(JSON.parse(row.attributes), plain(expected.attributes))
  )
    return `attributes ${row.attributes.slice(0, 80)} ≠ ${JSON.stringify(expected.attributes).slice(0, 80)}`;
  if (expected.channel !== undefined && row.channel !== expected.channel)
    return `channel ${JSON.stringify(row.channel)} ≠ ${JSON.stringify(expected.channel)}`;
  return undefined;
}

async function healthAfter(h: Harness, key: string): Promise<string[]> {
  const failures: string[] = [];
  if (!h.ingest.alive) return ['the ingest died during the hostile corpus'];
  const ready = await fetch(`${h.ingestUrl}/readyz`).catch(() => undefined);
  if (ready?.status !== 200)
    failures.push(`after the corpus /readyz answered ${String(ready?.status ?? 'nothing')}`);
  const posted = await fetch(`${h.ingestUrl}/v1/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'after', body: 'healthy' }),
  }).catch(() => undefined);
  if (posted?.status !== 202)
    failures.push(
      `after the corpus a valid message answered ${String(posted?.status ?? 'nothing')}`,
    );
  return failures;
}
