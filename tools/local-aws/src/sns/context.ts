import type { Clock } from '../clock';
import type { SnsDelivery } from './delivery';
import type { FormParams } from './form';
import type { TopicStore } from './topic-store';
import type { XmlNode } from './xml';

/** What an SNS operation sees besides its parameters. */
export interface SnsContext {
  readonly topics: TopicStore;
  readonly delivery: SnsDelivery;
  readonly clock: Clock;
  /** The region the request was signed for (the edge's region if unsigned): ARNs of new topics. */
  readonly region?: string;
}

/** One SNS API operation: parameters to the children of `<{Action}Result>` (undefined: no result). */
export type SnsOperation = (
  params: FormParams,
  context: SnsContext,
) => readonly XmlNode[] | undefined;
