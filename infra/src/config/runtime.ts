import { METADATA_KEYS } from '@herald/config';

/**
 * Ports and paths of the services' runtime contract. The apps default to the same values; the
 * CDK passes them explicitly so a changed default cannot silently break health checks.
 */
export const INGEST_PORT = 3000;
export const WORKER_HEALTH_PORT = 8081;
export const POSTGRES_PORT = 5432;

/** ALB target health: "ready to take traffic" (dependencies reachable). */
export const READINESS_PATH = '/readyz';
/** Container health: "the process is alive and its loop turns". */
export const LIVENESS_PATH = '/healthz';

/** The database owner (the RDS master login): only the migration task connects as it. */
export const DB_OWNER_USER = 'herald_owner';
/** The DML-only login the migration creates for the worker (`provisionRoles` in @herald/db). */
export const DB_WRITER_USER = 'herald_writer';
/** The read-only login the migration creates for ingest (`provisionRoles` in @herald/db). */
export const DB_READER_USER = 'herald_reader';

/** Where the worker image keeps the committed migrations (`tools/bundle` copies them there). */
export const IMAGE_WORKDIR = '/app';
export const MIGRATIONS_DIR = `${IMAGE_WORKDIR}/migrations`;

const { prefixes } = METADATA_KEYS;

/**
 * Metadata-table key prefixes each service may write (shared with libs/metadata through
 * @herald/config). IAM scopes writes with `dynamodb:LeadingKeys`.
 */
export const METADATA_WRITE_PREFIXES = {
  ingest: [prefixes.idempotencyClaim],
  worker: [prefixes.messageStatus, prefixes.channelStats],
} as const;

/**
 * A container health check without curl: Node 22's global fetch, exit 0 only on a 2xx.
 * @param port the port the health endpoint listens on inside the container
 */
export function nodeHealthCheckCommand(port: number, path = LIVENESS_PATH): string[] {
  const script = `fetch('http://127.0.0.1:${port}${path}').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))`;
  return ['CMD', 'node', '-e', script];
}
