/** A single-message POST body of ~130 bytes (the ingest adds the envelope around it). */
export function postBody(index: number, channel = 'bench'): string {
  return JSON.stringify(postInput(index, channel));
}

function postInput(index: number, channel: string) {
  return {
    channel,
    body: { orderId: index, total: 99.5, items: ['a', 'b'] },
    attributes: { region: 'eu-west-1' },
  };
}

/** A batch POST body of `size` messages. */
export function batchBody(size: number): string {
  return JSON.stringify({
    messages: Array.from({ length: size }, (_, i) => postInput(i, 'bench')),
  });
}
