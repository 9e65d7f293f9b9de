import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes JSON lines with the service, level number and severity', () => {
    const { lines, destination } = capture();
    createLogger({ service: 'ingest', destination }).info({ tenant: 'acme' }, 'hello');
    expect(lines[0]).toMatchObject({
      service: 'ingest',
      level: 30,
      severity: 'info',
      tenant: 'acme',
      msg: 'hello',
    });
  });

  it('redacts secrets', () => {
    const { lines, destination } = capture();
    createLogger({ service: 's', destination }).info({
      headers: { authorization: 'Bearer k' },
      password: 'p',
    });
    expect(JSON.stringify(lines[0])).not.toContain('Bearer k');
    expect(lines[0]).toMatchObject({ password: '[redacted]' });
  });
});
