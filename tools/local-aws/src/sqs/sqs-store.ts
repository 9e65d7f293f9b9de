import type { Clock } from '../clock';
import { ACCOUNT_ID } from '../ids';
import { SqsError } from './errors';
import { Queue } from './queue';
import type { QueueSettings } from './queue-settings';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Checks a queue name as CreateQueue does; `.fifo` names are refused (FIFO is not emulated). */
export function validateQueueName(name: string): void {
  if (name.endsWith('.fifo')) {
    throw new SqsError(
      'UnsupportedOperation',
      'FIFO queues are not supported by the Herald emulator.',
    );
  }
  if (!QUEUE_NAME.test(name)) {
    throw new SqsError(
      'InvalidParameterValue',
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
}

/** The URL of a queue as seen by a client that reached the edge at `host` (host[:port]). */
export function queueUrl(host: string, name: string): string {
  return `http://${host}/${ACCOUNT_ID}/${name}`;
}

/** The queue name in a QueueUrl; any host is accepted, as clients mix localhost and 127.0.0.1. */
export function queueNameFromUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    throw new SqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  }
  const name = path.split('/').filter(Boolean).at(-1);
  if (name === undefined)
    throw new SqsError('InvalidAddress', `The address ${url} is not valid for this endpoint.`);
  return decodeURIComponent(name);
}

/** Every queue of the emulator, by name and by ARN. */
export class SqsStore {
  private readonly queues = new Map<string, Queue>();

  constructor(
    readonly region: string,
    private readonly clock: Clock,
  ) {}

  /** The ARN of a queue of that name in `region` (the edge's region unless told). */
  arnOf(name: string, region = this.region): string {
    return `arn:aws:sqs:${region}:${ACCOUNT_ID}:${name}`;
  }

  /** Creates a queue whose ARN names `region`; names are one namespace across regions. */
  create(name: string, settings: QueueSettings, region = this.region): Queue {
    const queue = new Queue(name, this.arnOf(name, region), settings, this.clock, (arn) =>
      this.findByArn(arn),
    );
    this.queues.set(name, queue);
    return queue;
  }

  find(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /** The queue named by a QueueUrl, or QueueDoesNotExist. */
  get(url: string): Queue {
    const queue = this.queues.get(queueNameFromUrl(url));
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  findByArn(arn: string): Queue | undefined {
    const name = arn.split(':').at(-1) ?? '';
    const queue = this.queues.get(name);
    return queue?.arn === arn ? queue : undefined;
  }

  delete(queue: Queue): void {
    this.queues.delete(queue.name);
    queue.markDeleted();
  }

  /** Queues in order of name. */
  list(): Queue[] {
    return [...this.queues.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  }
}
