#!/usr/bin/env node
// The `herald` bin: runs the TypeScript source through tsx (the workspace already runs
// `npm start` that way), so `npx herald …` works right after `npm ci`, without a build step.
import { register } from 'tsx/esm/api';

// The SDK pinned here runs on Node 20; its notice about future releases would otherwise precede
// every one-line answer of this command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../src/main.ts');
