/** Counters the bench and the shutdown log read to compute SQS requests per message. */
export class IngestMetrics {
  /** SendMessageBatch calls made (each one is one billed SQS request). */
  sqsRequests = 0;
  /** Messages SQS accepted. */
  messagesEnqueued = 0;
  /** Batch entries SQS failed and the batcher sent again. */
  entryRetries = 0;
  /** Messages that could not be enqueued (answered 503 or rejected in a batch). */
  enqueueFailures = 0;

  snapshot(): {
    sqsRequests: number;
    messagesEnqueued: number;
    entryRetries: number;
    enqueueFailures: number;
    sqsRequestsPerMessage: number;
  } {
    return {
      sqsRequests: this.sqsRequests,
      messagesEnqueued: this.messagesEnqueued,
      entryRetries: this.entryRetries,
      enqueueFailures: this.enqueueFailures,
      sqsRequestsPerMessage:
        this.messagesEnqueued === 0 ? 0 : this.sqsRequests / this.messagesEnqueued,
    };
  }
}
