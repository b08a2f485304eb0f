import { defineConfig } from 'drizzle-kit'

// The tables: the shared ones, and one `table.ts` in each kind's folder (src/kinds/<kind>/).
// DRIZZLE_OUT is for the staleness check (test/migrations.test.ts), which generates into a copy.
export default defineConfig({
  dialect: 'sqlite',
  schema: ['./src/db/schema/*.ts', './src/kinds/*/table.ts'],
  out: process.env.DRIZZLE_OUT ?? './migrations'
})
