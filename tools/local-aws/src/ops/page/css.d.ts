// esbuild bundles the page's stylesheets; TypeScript only needs to know they exist.
declare module '*.css';
