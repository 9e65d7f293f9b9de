/**
 * The AWS SDK prints a 9-line NodeVersionSupportWarning in every process that builds a client on
 * Node < 22 (three times per `npm start`). This replaces it with one line per run: the SDK's own
 * switch (aws/aws-sdk-js-v3#7983) turns its warning off, and a marker in the environment keeps
 * the processes a run spawns (which inherit it) from repeating ours.
 */

/** The SDK's documented switch for its Node version warning. */
export const SDK_NODE_WARNING_ENV = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
/** Set once this run has said that Node 22 is recommended. */
export const NODE_NOTICE_SHOWN_ENV = 'HERALD_NODE_NOTICE_SHOWN';
/** The Node major the SDK will require for releases after January 2027. */
export const RECOMMENDED_NODE_MAJOR = 22;

export interface NodeNoticeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly version?: string;
  readonly write?: (line: string) => void;
}

/**
 * On Node < 22: turns the SDK's warning off (unless the variable is set either way already) and
 * prints one line, once per run. Called by every client factory before it builds a client.
 */
export function replaceNodeVersionNotice(options: NodeNoticeOptions = {}): void {
  const {
    env = process.env,
    version = process.version,
    write = (line) => process.stderr.write(`${line}\n`),
  } = options;
  const major = Number.parseInt(version.replace(/^v/, ''), 10);
  if (!(major < RECOMMENDED_NODE_MAJOR)) return;
  env[SDK_NODE_WARNING_ENV] ??= 'true';
  if (env[NODE_NOTICE_SHOWN_ENV] === '1') return;
  env[NODE_NOTICE_SHOWN_ENV] = '1';
  write(
    `herald: running on Node ${version}; Node ${String(RECOMMENDED_NODE_MAJOR)} is recommended ` +
      `(AWS SDK releases after January 2027 require it; production images run Node 22).`,
  );
}
