import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  NODE_NOTICE_SHOWN_ENV,
  replaceNodeVersionNotice,
  SDK_NODE_WARNING_ENV,
} from './node-notice';

function run(version: string, env: NodeJS.ProcessEnv = {}) {
  const lines: string[] = [];
  replaceNodeVersionNotice({ env, version, write: (line) => lines.push(line) });
  return { env, lines };
}

describe('replaceNodeVersionNotice', () => {
  it('on Node 20 turns the SDK warning off and says once that Node 22 is recommended', () => {
    const { env, lines } = run('v20.20.2');
    expect(env[SDK_NODE_WARNING_ENV]).toBe('true');
    expect(lines).toEqual([expect.stringContaining('Node 22 is recommended')]);
    replaceNodeVersionNotice({ env, version: 'v20.20.2', write: (line) => lines.push(line) });
    expect(lines).toHaveLength(1);
  });

  it('stays quiet in a process whose run already said it (the marker is inherited)', () => {
    expect(run('v20.20.2', { [NODE_NOTICE_SHOWN_ENV]: '1' }).lines).toEqual([]);
  });

  it('keeps an explicit choice about the SDK warning', () => {
    expect(run('v20.20.2', { [SDK_NODE_WARNING_ENV]: 'false' }).env[SDK_NODE_WARNING_ENV]).toBe(
      'false',
    );
  });

  it('does nothing on Node 22 and later', () => {
    expect(run('v22.11.0')).toEqual({ env: {}, lines: [] });
    expect(run('v24.1.0')).toEqual({ env: {}, lines: [] });
  });
});

describe('a process building every client', () => {
  it('prints no SDK warning and at most one line about Node 22', async () => {
    const script = [
      "import { createDynamoDbDocumentClient, createSnsClient, createSqsClient } from './src/index.ts';",
      "for (const create of [createSqsClient, createSnsClient, createDynamoDbDocumentClient]) create({ region: 'us-east-1' });",
    ].join('\n');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name]) => name !== SDK_NODE_WARNING_ENV && name !== NODE_NOTICE_SHOWN_ENV,
      ),
    );
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), env },
    );
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|NodeDeprecationWarning/);
    const notices = stderr.split('\n').filter((line) => line.includes('Node 22 is recommended'));
    const major = Number(process.versions.node.split('.')[0]);
    expect(notices).toHaveLength(major < 22 ? 1 : 0);
  }, 60_000);
});
