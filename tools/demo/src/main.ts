/** `npm run demo`: see DEMO_USAGE. */
import { DEMO_USAGE, DemoUsageError, parseDemoOptions } from './demo-options';
import { runDemo } from './demo';

// The SDK pinned here runs on Node 20; its notice about future releases is noise in a demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The local edge takes any credentials; the SDK only needs some.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

try {
  const options = parseDemoOptions(process.argv.slice(2));
  if (options.help) {
    console.log(DEMO_USAGE);
  } else {
    const timer = setTimeout(
      () => {
        console.error(`demo: gave up after ${String(options.timeoutSeconds)} s`);
        process.exit(1);
      },
      options.timeoutSeconds * 1000 + 60_000,
    );
    timer.unref();
    await runDemo(options, (line) => {
      console.log(line);
    });
  }
  process.exit(0);
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof DemoUsageError ? 2 : 1);
}
