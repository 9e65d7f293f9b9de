/** The role alerts are published through (SNS's `SnsAlertPublisher` beside it; a fake in tests). */
import type { AlertPayload } from '@herald/contracts';

export interface AlertRequest {
  /** Caller's key for this alert, echoed in the result. */
  readonly key: string;
  readonly subject: string;
  readonly payload: AlertPayload;
}

export interface PublishResult {
  readonly published: ReadonlySet<string>;
  /** Keys whose alert was not published, with why. */
  readonly failed: ReadonlyMap<string, string>;
}

/** The alerts topic (SNS). Never throws: a failed call fails every alert in it. */
export interface AlertPublisher {
  publish(alerts: readonly AlertRequest[]): Promise<PublishResult>;
}
