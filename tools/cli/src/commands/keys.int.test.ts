import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runHerald } from '../../test/run-herald';
import { stackEnv } from '../../test/stack-env';

describe('herald keys (real PostgreSQL)', () => {
  const tenant = `t-${randomUUID().slice(0, 8)}`;

  it('creates a key, shows its secret once, lists it without the secret, and revokes it', async () => {
    const env = stackEnv();
    const created = await runHerald(
      ['keys', 'create', '--tenant', tenant, '--name', 'ci', '--scopes', 'messages:write'],
      { env },
    );
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const secret = /^key: (\S+)$/m.exec(created.out)?.[1];
    expect(secret).toBeDefined();
    expect(created.out).toContain('cannot be shown again');

    const listed = await runHerald(['--json', 'keys', 'list', '--tenant', tenant], { env });
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.out) as { prefix: string; scopes: string[]; revokedAt: null }[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ name: 'ci', scopes: ['messages:write'], revokedAt: null });
    expect(listed.out).not.toContain(secret);

    const prefix = keys[0]?.prefix ?? '';
    const revoked = await runHerald(['keys', 'revoke', prefix], { env });
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`prefix ${prefix}, tenant ${tenant}`);
    const table = await runHerald(['keys', 'list', '--tenant', tenant], { env });
    expect(table.out.split('\n')[0]).toMatch(
      /^id\s+tenant\s+name\s+prefix\s+scopes\s+created\s+revoked$/,
    );
    expect(table.out.split('\n')[1]).toMatch(/\d{4}-\d\d-\d\dT\S+Z$/);

    const again = await runHerald(['keys', 'revoke', prefix], { env });
    expect(again.code).toBe(1);
    expect(again.err).toBe(`herald: no active key matches ${prefix}`);
  });

  it('refuses an unknown scope in one line', async () => {
    const run = await runHerald(
      ['keys', 'create', '--tenant', tenant, '--name', 'x', '--scopes', 'messages:delete'],
      { env: stackEnv() },
    );
    expect(run.code).toBe(1);
    expect(run.err).toBe(
      'herald: unknown scope "messages:delete": expected one of messages:write, messages:read',
    );
  });
});
