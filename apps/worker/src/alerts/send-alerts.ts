import type { AlertPayload } from '@herald/contracts';
import type { Logger } from '@herald/observability';
import { describeError } from '../errors';
import type { AlertPublisher } from './alert-publisher';
import type { Clock } from '../clock';
import type { MetadataStore, StatusKey } from '../metadata/metadata-store';

export interface AlertCandidate extends StatusKey {
  readonly subject: string;
  readonly payload: AlertPayload;
}

export interface AlertDeps {
  readonly alerts: AlertPublisher;
  readonly metadata: MetadataStore;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * Publishes the alerts, then records each published one as `alerted`. Returns the ids whose
 * alert is both sent and recorded; the others must stay on the queue so a redelivery retries
 * (at least once: a crash between publish and record re-alerts, never loses one).
 */
export async function sendAlerts(
  deps: AlertDeps,
  candidates: readonly AlertCandidate[],
): Promise<Set<string>> {
  const done = new Set<string>();
  if (candidates.length === 0) return done;
  const byId = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  const result = await deps.alerts.publish(
    candidates.map((candidate) => ({
      key: candidate.id,
      subject: candidate.subject,
      payload: candidate.payload,
    })),
  );
  for (const [id, reason] of result.failed) {
    deps.logger.warn(
      { messageId: id, reason },
      'alert not published; leaving the message for redelivery',
    );
  }
  const now = new Date(deps.clock());
  await Promise.all(
    [...result.published].map(async (id) => {
      const candidate = byId.get(id);
      if (!candidate) return;
      try {
        await deps.metadata.markAlerted({ tenant: candidate.tenant, id }, now);
        done.add(id);
      } catch (error) {
        // The alert went out; the redelivery will send it again (at least once, docs/invariants.md#4).
        deps.logger.warn(
          { messageId: id, err: describeError(error) },
          'alert sent but not recorded',
        );
      }
    }),
  );
  return done;
}
