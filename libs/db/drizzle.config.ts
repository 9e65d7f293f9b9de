import { defineConfig } from 'drizzle-kit';

// drizzle-kit demands a default export.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
