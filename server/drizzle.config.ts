import { defineConfig } from 'drizzle-kit';

// Generate migrations after editing the schema:
//   npx drizzle-kit generate --config server/drizzle.config.ts
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
});
