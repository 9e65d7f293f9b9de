import { Writable } from 'node:stream';
import type { MessageStatus, StoredMessage } from '@herald/contracts';
import type { ApiKeyScope } from '@herald/db';
import { createLogger, type Logger } from '@herald/observability';
import { createApp } from '../src/app';
import type { ApiKeyVerifier, Principal } from '../src/auth/principal';
import type { AppDeps } from '../src/deps';
import type {
  ClaimResult,
  IdempotencyClaim,
  IdempotencyStore,
  StoredClaim,
} from '../src/idempotency/idempotency-store';
import { DependencyUnavailableError } from '../src/errors/api-error';
import { Lifecycle } from '../src/lifecycle';
import type { HistoryPosition, MessageReader } from '../src/messages/message-reader';
import type { MessageQueue, SendOutcome } from '../src/queue/message-queue';
import type { OutgoingMessage } from '../src/queue/outgoing-message';
import { TokenBucketRateLimiter } from '../src/rate-limit/token-bucket';
import type { Readiness, ReadinessReport } from '../src/readiness/readiness';
import type { MessageStatusRecord, MessageStatusStore } from '../src/status/message-status-store';

/** A queue that records what it was given and answers with `outcome` (accepted by default). */
export class FakeQueue implements MessageQueue {
  readonly sent: OutgoingMessage[] = [];
  outcome: (message: OutgoingMessage, index: number) => SendOutcome = () => ({ ok: true });
  closed = false;

  send(messages: readonly OutgoingMessage[]): Promise<SendOutcome[]> {
    const outcomes = messages.map((message, index) => this.outcome(message, index));
    messages.forEach((message, index) => {
      if (outcomes[index]?.ok) this.sent.push(message);
    });
    return Promise.resolve(outcomes);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  /** The envelopes SQS accepted, parsed. */
  envelopes(): Record<string, unknown>[] {
    return this.sent.map((message) => JSON.parse(message.body) as Record<string, unknown>);
  }
}

export const KEYS = {
  writer: 'hk_writer_key_0123456789',
  reader: 'hk_reader_key_0123456789',
  both: 'hk_both_key_0123456789abc',
  other: 'hk_other_tenant_key_012345',
  revoked: 'hk_revoked_key_0123456789',
} as const;

const PRINCIPALS: Record<string, Principal> = {
  [KEYS.writer]: principal('key-writer', 'acme', ['messages:write']),
  [KEYS.reader]: principal('key-reader', 'acme', ['messages:read']),
  [KEYS.both]: principal('key-both', 'acme', ['messages:write', 'messages:read']),
  [KEYS.other]: principal('key-other', 'globex', ['messages:write', 'messages:read']),
};

function principal(keyId: string, tenant: string, scopes: ApiKeyScope[]): Principal {
  return { keyId, tenant, keyPrefix: keyId, scopes };
}

export class FakeKeys implements ApiKeyVerifier {
  down = false;
  /** Secrets `cached` answers for, as if verified before. */
  readonly cachedSecrets = new Set<string>();

  verify(secret: string): Promise<Principal | undefined> {
    if (this.down) {
      const cause = new Error('connection refused');
      return Promise.reject(new DependencyUnavailableError('postgres', { cause }));
    }
    return Promise.resolve(PRINCIPALS[secret]);
  }

  cached(secret: string): Promise<Principal | undefined> | undefined {
    return this.cachedSecrets.has(secret) ? Promise.resolve(PRINCIPALS[secret]) : undefined;
  }
}

/** An in-memory claim table with the same semantics as the DynamoDB one. */
export class FakeIdempotency implements IdempotencyStore {
  readonly claims = new Map<string, StoredClaim>();

  claim(claim: IdempotencyClaim): Promise<ClaimResult> {
    const id = `${claim.tenant}#${claim.key}`;
    const existing = this.claims.get(id);
    if (existing) return Promise.resolve({ outcome: 'existing', claim: existing });
    this.claims.set(id, { ...claim, state: 'pending' });
    return Promise.resolve({ outcome: 'claimed' });
  }

  markAccepted(claim: IdempotencyClaim): Promise<void> {
    const id = `${claim.tenant}#${claim.key}`;
    const existing = this.claims.get(id);
    if (existing?.messageId === claim.messageId)
      this.claims.set(id, { ...existing, state: 'accepted' });
    return Promise.resolve();
  }
}

export class FakeStatuses implements MessageStatusStore {
  readonly items = new Map<string, MessageStatusRecord>();

  set(tenant: string, id: string, status: MessageStatus, reason?: string): void {
    this.items.set(`${tenant}#${id}`, { id, status, ...(reason ? { reason } : {}) });
  }

  get(tenant: string, id: string): Promise<MessageStatusRecord | undefined> {
    return Promise.resolve(this.items.get(`${tenant}#${id}`));
  }
}

export class FakeMessages implements MessageReader {
  readonly rows: (StoredMessage & { tenant: string })[] = [];

  findById(tenant: string, id: string): Promise<StoredMessage | undefined> {
    const row = this.rows.find((candidate) => candidate.tenant === tenant && candidate.id === id);
    return Promise.resolve(row ? strip(row) : undefined);
  }

  history(
    tenant: string,
    channel: string,
    page: { limit: number; after?: HistoryPosition },
  ): Promise<StoredMessage[]> {
    const after = page.after;
    const rows = this.rows
      .filter((row) => row.tenant === tenant && row.channel === channel)
      .sort((a, b) => b.acceptedAt.localeCompare(a.acceptedAt) || b.id.localeCompare(a.id))
      .filter((row) => {
        if (!after) return true;
        const at = new Date(row.acceptedAt).getTime();
        return (
          at < after.acceptedAt.getTime() ||
          (at === after.acceptedAt.getTime() && row.id < after.id)
        );
      });
    return Promise.resolve(rows.slice(0, page.limit).map(strip));
  }
}

function strip(row: StoredMessage & { tenant: string }): StoredMessage {
  const { tenant: _tenant, ...message } = row;
  return message;
}

export class FakeReadiness implements Readiness {
  report_: ReadinessReport = { ready: true, checks: { postgres: 'ok', sqs: 'ok', dynamodb: 'ok' } };

  report(): Promise<ReadinessReport> {
    return Promise.resolve(this.report_);
  }
}

/** Log lines captured as objects. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: createLogger({ service: 'ingest-test', level: 'debug', destination }), lines };
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  queue: FakeQueue;
  keys: FakeKeys;
  idempotency: FakeIdempotency;
  statuses: FakeStatuses;
  messages: FakeMessages;
  readiness: FakeReadiness;
  lifecycle: Lifecycle;
  lines: Record<string, unknown>[];
}

/** The app over fakes, with a rate limit high enough to stay out of the way unless overridden. */
export function testApp(overrides: Partial<AppDeps> = {}): TestApp {
  const queue = new FakeQueue();
  const keys = new FakeKeys();
  const idempotency = new FakeIdempotency();
  const statuses = new FakeStatuses();
  const messages = new FakeMessages();
  const readiness = new FakeReadiness();
  const lifecycle = new Lifecycle();
  const { logger, lines } = captureLogger();
  const deps: AppDeps = {
    logger,
    queue,
    keys,
    idempotency,
    statuses,
    messages,
    readiness,
    lifecycle,
    rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 1_000_000, burst: 1_000_000 }),
    authFailures: new TokenBucketRateLimiter({ ratePerSecond: 1_000_000, burst: 1_000_000 }),
    trustedProxyHops: 0,
    retryAfterSeconds: 5,
    ...overrides,
  };
  return {
    app: createApp(deps),
    deps,
    queue,
    keys,
    idempotency,
    statuses,
    messages,
    readiness,
    lifecycle,
    lines,
  };
}

/** Request init for a JSON POST with a key. */
export function postJson(
  body: unknown,
  key: string = KEYS.writer,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

export function getWith(
  key: string = KEYS.reader,
  headers: Record<string, string> = {},
): RequestInit {
  return { method: 'GET', headers: { authorization: `Bearer ${key}`, ...headers } };
}
