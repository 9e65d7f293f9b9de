export { APP_BUNDLES, type AppName, isAppName } from './apps';
export {
  BundleError,
  type BundleOptions,
  type BundleResult,
  type BundleSpec,
  bundleApp,
  DEFAULT_EXTERNAL,
  NODE_TARGET,
} from './bundle';
