import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';
import { LocalAwsOptionsError } from './options';

describe('parseCliArgs', () => {
  it('maps flags to options', () => {
    const request = parseCliArgs([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--dynamodb-path',
      '.data/ddb',
      '--mailbox-file',
      'mail.jsonl',
      '--quiet',
      '--auto-confirm-subscriptions',
    ]);
    expect(request).toEqual({
      help: false,
      quiet: true,
      options: {
        port: 0,
        host: '0.0.0.0',
        region: undefined,
        dynamodbPath: '.data/ddb',
        mailboxFile: 'mail.jsonl',
        autoConfirmSubscriptions: true,
      },
    });
  });

  it.each([['--port', 'abc'], ['--bogus']])('rejects %s with a usable message', (...args) => {
    expect(() => parseCliArgs(args)).toThrow(LocalAwsOptionsError);
  });
});
