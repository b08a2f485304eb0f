/**
 * The PostgreSQL connection (src/db/pg-client.ts) on a throw-away PostgreSQL 15: several nodes
 * starting at once migrate once, and a database that would answer differently from SQLite (another
 * collation, another encoding) is refused with how to make one that does not.
 */
import pg from 'pg'
import t from 'tap'
import { checkPgDatabase, openPgDb, PgSetupError } from '../src/db/pg-client.js'
import { pgMigrationsFolder } from '../src/paths.js'
import { readdirSync } from 'node:fs'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

const unavailable = pgClusterUnavailable()
const migrations = readdirSync(pgMigrationsFolder).filter((file) => file.endsWith('.sql')).length

t.test('on PostgreSQL 15', { skip: unavailable ?? false }, async (t) => {
  const cluster = await startPgCluster(t)
  const admin = new pg.Pool({ connectionString: cluster.url, max: 1 })
  t.teardown(async () => await admin.end())
  const database = async (name: string, options = 'ENCODING \'UTF8\' LOCALE_PROVIDER libc LC_COLLATE \'C\' LC_CTYPE \'C\'') => {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ${options}`)
    return cluster.url.replace(/\/postgres$/, `/${name}`)
  }

  t.test('five nodes starting at once migrate once, and later ones find nothing to do', async (t) => {
    const url = await database('kb_nodes')
    const nodes = await Promise.all(Array.from({ length: 5 }, async () => await openPgDb(url, { max: 2 })))
    t.teardown(async () => { for (const node of nodes) await node.close() })
    const applied = await nodes[0]!.pool.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')
    t.equal(Number(applied.rows[0]?.n), migrations, `each of the ${migrations} migrations applied once`)
    const tables = await nodes[0]!.pool.query<{ n: string }>('SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = \'public\'')
    t.ok(Number(tables.rows[0]?.n) > 20, `the tables are there (${tables.rows[0]?.n})`)
    const again = await openPgDb(url, { max: 1 })
    t.equal(Number((await again.pool.query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')).rows[0]?.n), migrations, 'a node started later applies nothing')
    await again.close()
  })

  t.test('a database that sorts text otherwise than SQLite, or is not UTF-8, is refused, saying how to make one', async (t) => {
    const icu = await database('kb_icu', 'ENCODING \'UTF8\' LOCALE_PROVIDER icu ICU_LOCALE \'en-US\' LC_COLLATE \'C\' LC_CTYPE \'C\'')
    await t.rejects(openPgDb(icu), { name: 'PgSetupError', message: /sorts text by the collation C \(ICU\).*CREATE DATABASE kb TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LC_COLLATE 'C'/ }, 'an ICU collation')
    const ascii = await database('kb_ascii', 'ENCODING \'SQL_ASCII\' LC_COLLATE \'C\' LC_CTYPE \'C\'')
    await t.rejects(openPgDb(ascii), { name: 'PgSetupError', message: /encoded SQL_ASCII; the knowledge base needs UTF8/ }, 'another encoding')
    const pool = new pg.Pool({ connectionString: ascii, max: 1 })
    t.teardown(async () => await pool.end())
    t.equal((await pool.query<{ n: string }>('SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = \'public\'')).rows[0]?.n, '0', 'and nothing is written to it')
    const ok = await database('kb_c_utf8', 'ENCODING \'UTF8\' LOCALE_PROVIDER libc LC_COLLATE \'C.UTF-8\' LC_CTYPE \'C.UTF-8\'')
    const checked = new pg.Pool({ connectionString: ok, max: 1 })
    t.teardown(async () => await checked.end())
    await t.resolves(checkPgDatabase(checked), 'C.UTF-8 orders by code point too: accepted')
    t.ok(new PgSetupError('x') instanceof Error)
  })
})
