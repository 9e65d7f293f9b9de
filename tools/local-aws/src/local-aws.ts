import { AlarmBoard } from './alarm-board';
import { SYSTEM_CLOCK } from './clock';
import { createDynaliteBackend } from './dynamodb/dynalite-backend';
import { EdgeServer } from './edge-server';
import { handleHeraldRequest } from './herald-routes';
import { createLogger } from './logger';
import { Mailbox } from './mailbox';
import { resolveOptions, urlHost, type LocalAwsOptions } from './options';
import { SnsDelivery } from './sns/delivery';
import { createSnsHandler } from './sns/sns-handler';
import { TopicStore } from './sns/topic-store';
import { createSqsHandler } from './sqs/sqs-handler';
import { SqsStore } from './sqs/sqs-store';

/** A running emulator. */
export interface LocalAws {
  /** Base URL of the edge, e.g. `http://127.0.0.1:4566`: the value for AWS_ENDPOINT_URL. */
  readonly url: string;
  readonly port: number;
  /** Messages delivered to email subscriptions. */
  readonly mailbox: Mailbox;
  /** Alarm states the local stack's watcher posts; served on `GET /_herald/alarms`. */
  readonly alarms: AlarmBoard;
  /**
   * Makes the endpoint unreachable (stops listening, drops every connection) while keeping all
   * state: queues, messages, topics, tables. For chaos tests of "AWS is down".
   */
  suspend(): Promise<void>;
  /** Listens again on the same port after {@link LocalAws.suspend}. */
  resume(): Promise<void>;
  /** Ends open long polls (empty answers), closes every socket and dynalite. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the SQS, SNS and DynamoDB emulator on one HTTP endpoint.
 *
 * @param options - where to listen and what to persist; see {@link LocalAwsOptions}.
 * @example
 * const aws = await startLocalAws({ port: 0 });
 * const sqs = new SQSClient({ endpoint: aws.url, region: 'us-east-1', credentials });
 * // …
 * await aws.close();
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const config = resolveOptions(options);
  const logger = createLogger(config.log);
  const shutdown = new AbortController();
  const sqs = new SqsStore(config.region, SYSTEM_CLOCK);
  const mailbox = new Mailbox(config.mailboxFile, logger);
  const alarms = new AlarmBoard();
  const links = { region: config.region, edgeUrl: `http://${urlHost(config.host)}:${config.port}` };
  const delivery = new SnsDelivery({
    sqs,
    mailbox,
    logger,
    links: () => links,
    signal: shutdown.signal,
  });
  const sns = { topics: new TopicStore(config.region), delivery, clock: SYSTEM_CLOCK };
  const dynamodb = createDynaliteBackend(config.dynamodbPath);
  const edge = new EdgeServer({
    sqs: createSqsHandler(sqs, logger),
    sns: createSnsHandler(sns, logger),
    herald: (request) => handleHeraldRequest(request, { mailbox, sqs, alarms }),
    dynamodb,
    logger,
    shutdown: shutdown.signal,
  });
  let port: number;
  try {
    port = await edge.listen(config.port, config.host);
  } catch (error) {
    await dynamodb.close();
    throw error;
  }
  links.edgeUrl = `http://${urlHost(config.host)}:${port}`;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    shutdown.abort();
    await edge.close();
    await Promise.all([delivery.drain(), mailbox.flush()]);
    await dynamodb.close();
  };
  let suspended = false;
  return {
    url: links.edgeUrl,
    port,
    mailbox,
    alarms,
    suspend: async () => {
      if (suspended || closing) return;
      suspended = true;
      await edge.close(0);
    },
    resume: async () => {
      if (!suspended || closing) return;
      await edge.listen(port, config.host);
      suspended = false;
    },
    close: () =>
      (closing ??= suspended
        ? Promise.all([delivery.drain(), mailbox.flush()]).then(() => dynamodb.close())
        : close()),
  };
}
