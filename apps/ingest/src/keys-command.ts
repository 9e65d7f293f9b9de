import { parseArgs } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKey, type PooledDatabase } from '@herald/db';

export const KEYS_USAGE = `usage: npm run keys -- <command>
  create --tenant <tenant> --name <name> --scopes messages:write,messages:read [--secret <key>]
  list [--tenant <tenant>]
  revoke <key id | key prefix>
DATABASE_URL must name a role that may write api_keys (the owner or the writer, not the ingest's reader).`;

/** A mistake in the command line: the message says what to fix. */
export class KeysUsageError extends Error {
  override readonly name = 'KeysUsageError';
}

/**
 * Runs one keys command against `db`, printing with `print`. Returns the exit code.
 * @example await runKeysCommand(['list', '--tenant', 'acme'], { db, print: console.log });
 */
export async function runKeysCommand(
  argv: readonly string[],
  io: { db: PooledDatabase; print: (line: string) => void },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case 'create': {
      const { tenant, name, scopes } = values;
      if (!tenant || !name || !scopes)
        throw new KeysUsageError('create needs --tenant, --name and --scopes');
      const created = await createApiKey(io.db, {
        tenant,
        name,
        scopes: scopes.split(','),
        ...(values.secret ? { secret: values.secret } : {}),
      });
      io.print(`created key ${created.id} (prefix ${created.prefix}) for tenant ${tenant}`);
      io.print(`key: ${created.key}`);
      io.print('Store the key now: only its hash is kept, it cannot be shown again.');
      return 0;
    }
    case 'list': {
      const keys = await listApiKeys(io.db, values.tenant);
      io.print(['id', 'tenant', 'name', 'prefix', 'scopes', 'created', 'revoked'].join('\t'));
      for (const key of keys) {
        io.print(
          [
            key.id,
            key.tenant,
            key.name,
            key.prefix,
            key.scopes.join(','),
            key.createdAt.toISOString(),
            key.revokedAt?.toISOString() ?? '-',
          ].join('\t'),
        );
      }
      return 0;
    }
    case 'revoke': {
      const target = rest[0];
      if (!target) throw new KeysUsageError('revoke needs a key id or prefix');
      const revoked = await revokeApiKey(io.db, target);
      if (revoked.length === 0) {
        io.print(`no active key matches ${target}`);
        return 1;
      }
      for (const key of revoked)
        io.print(
          `revoked key ${key.id} (prefix ${key.prefix}, tenant ${key.tenant}); services stop accepting it within their key cache TTL`,
        );
      return 0;
    }
    default:
      throw new KeysUsageError(command ? `unknown command "${command}"` : 'missing command');
  }
}
