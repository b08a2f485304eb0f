import { defineConfig } from 'drizzle-kit'

// The PostgreSQL mirror of drizzle.config.ts: the shared tables, and one `pg-table.ts` in each
// kind's folder (the SQLite glob, table.ts, does not match it). Nothing in the app uses it yet.
// DRIZZLE_OUT is for the staleness check (test/pg-schema.test.ts), which generates into a copy.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/db/pg-schema/*.ts', './src/kinds/*/pg-table.ts'],
  out: process.env.DRIZZLE_OUT ?? './migrations/pg'
})
