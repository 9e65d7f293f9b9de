import { describe, expect, it } from 'vitest';
import { createSqsClient } from './clients';

describe('createSqsClient', () => {
  it('does not hash every message body it sends and receives', () => {
    const client = createSqsClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    expect(client.config.md5).toBe(false);
    client.destroy();
  });
});
