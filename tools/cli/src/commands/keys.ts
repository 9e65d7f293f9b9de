import {
  createApiKey,
  createDatabase,
  createPool,
  listApiKeys,
  revokeApiKey,
  type ApiKeySummary,
  type PooledDatabase,
} from '@herald/db';
import { Command } from 'commander';
import { contextOf, emit, type CliContext, type CliDeps } from '../context';
import { CliError } from '../errors';
import { formatTable } from '../io';

/** The owner role of the PostgreSQL `npm start` runs (tools/local-stack). */
export const LOCAL_DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54329/herald';

async function withDatabase<T>(
  context: CliContext,
  work: (db: PooledDatabase) => Promise<T>,
): Promise<T> {
  const url = context.io.env.DATABASE_URL;
  if (!url && context.options.stage)
    throw new CliError(
      `keys --stage ${context.options.stage} needs DATABASE_URL (a role that may write api_keys)`,
    );
  const pool = createPool({
    connectionString: url || LOCAL_DATABASE_URL,
    max: 1,
    applicationName: 'herald-cli',
  });
  try {
    return await work(createDatabase(pool));
  } finally {
    await pool.end();
  }
}

function keyRow(key: ApiKeySummary) {
  return {
    id: key.id,
    tenant: key.tenant,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

function createCommand(deps: CliDeps): Command {
  return new Command('create')
    .description('create an API key; its secret is shown once, only its hash is kept')
    .requiredOption('--tenant <tenant>', 'the tenant the key writes and reads for')
    .requiredOption('--name <name>', 'what the key is for, e.g. "billing service"')
    .requiredOption('--scopes <scopes>', 'comma-separated: messages:write,messages:read')
    .option('--secret <key>', 'use this secret instead of a generated one')
    .action(
      async (
        options: { tenant: string; name: string; scopes: string; secret?: string },
        command: Command,
      ) => {
        const context = contextOf(deps, command);
        const created = await withDatabase(context, (db) =>
          createApiKey(db, {
            tenant: options.tenant,
            name: options.name,
            scopes: options.scopes.split(','),
            ...(options.secret ? { secret: options.secret } : {}),
          }),
        );
        emit(context, { ...created, tenant: options.tenant }, (key) =>
          [
            `created key ${key.id} (prefix ${key.prefix}) for tenant ${key.tenant}`,
            `key: ${key.key}`,
            'Store the key now: only its hash is kept, it cannot be shown again.',
          ].join('\n'),
        );
      },
    );
}

function listCommand(deps: CliDeps): Command {
  return new Command('list')
    .description('list API keys (never their secrets)')
    .option('--tenant <tenant>', 'only this tenant')
    .action(async (options: { tenant?: string }, command: Command) => {
      const context = contextOf(deps, command);
      const keys = (await withDatabase(context, (db) => listApiKeys(db, options.tenant))).map(
        keyRow,
      );
      emit(context, keys, (rows) =>
        formatTable(
          ['id', 'tenant', 'name', 'prefix', 'scopes', 'created', 'revoked'],
          rows.map((k) => [
            k.id,
            k.tenant,
            k.name,
            k.prefix,
            k.scopes.join(','),
            k.createdAt,
            k.revokedAt ?? undefined,
          ]),
        ),
      );
    });
}

function revokeCommand(deps: CliDeps): Command {
  return new Command('revoke')
    .description(
      'revoke a key by id or prefix; services stop accepting it within their key cache TTL',
    )
    .argument('<key>', 'key id or key prefix')
    .action(async (target: string, _options: unknown, command: Command) => {
      const context = contextOf(deps, command);
      const revoked = (await withDatabase(context, (db) => revokeApiKey(db, target))).map(keyRow);
      if (revoked.length === 0) throw new CliError(`no active key matches ${target}`);
      emit(context, revoked, (rows) =>
        rows.map((k) => `revoked key ${k.id} (prefix ${k.prefix}, tenant ${k.tenant})`).join('\n'),
      );
    });
}

/** `herald keys create|list|revoke`: API keys in PostgreSQL (DATABASE_URL, else the local stack's). */
export function keysCommand(deps: CliDeps): Command {
  return new Command('keys')
    .description("manage API keys (DATABASE_URL; the local stack's PostgreSQL by default)")
    .addCommand(createCommand(deps))
    .addCommand(listCommand(deps))
    .addCommand(revokeCommand(deps));
}
