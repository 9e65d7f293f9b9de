import type {
  BatchResultErrorEntry,
  DeleteMessageBatchCommandInput,
  DeleteMessageBatchCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Logger } from '@herald/observability';

const AUDITED = new Set(['DeleteMessageBatchCommand', 'ChangeMessageVisibilityBatchCommand']);

/**
 * sqs-consumer sends DeleteMessageBatch (and the heartbeat's ChangeMessageVisibilityBatch) but
 * ignores the entries SQS answers as `Failed`. This middleware retries failed entries once when
 * SQS says the fault is its own, then logs what still failed with the message ids: a message
 * whose delete failed comes back after its visibility timeout and is settled again, harmlessly
 * (every effect is idempotent), but never silently.
 */
export function auditBatchEntries(client: SQSClient, logger: Logger): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const commandName = context.commandName ?? '';
      if (!AUDITED.has(commandName)) return result;
      const input = args.input as DeleteMessageBatchCommandInput;
      let failed = (result.output as DeleteMessageBatchCommandOutput).Failed ?? [];
      const retryable = new Set(
        failed.filter((entry) => entry.SenderFault !== true).map((entry) => entry.Id),
      );
      if (retryable.size > 0) {
        const entries = input.Entries?.filter((entry) => retryable.has(entry.Id)) ?? [];
        const retried = await next({ ...args, input: { ...input, Entries: entries } });
        const stillFailed = (retried.output as DeleteMessageBatchCommandOutput).Failed ?? [];
        failed = [...failed.filter((entry) => !retryable.has(entry.Id)), ...stillFailed];
      }
      if (failed.length > 0) logFailures(logger, commandName, failed);
      return result;
    },
    { step: 'initialize', name: 'heraldBatchEntryAudit', override: true },
  );
}

function logFailures(
  logger: Logger,
  commandName: string,
  failed: readonly BatchResultErrorEntry[],
): void {
  const entries = failed.map(({ Id, Code, Message, SenderFault }) => ({
    sqsMessageId: Id,
    code: Code,
    message: Message,
    senderFault: SenderFault,
  }));
  const action = commandName === 'DeleteMessageBatchCommand' ? 'delete' : 'visibility change';
  logger.error(
    { command: commandName, failed: entries },
    `SQS ${action} failed for ${failed.length} message(s); they will be redelivered and settled again`,
  );
}
