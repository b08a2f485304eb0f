/**
 * What every kind of record shares, for every kind in the registry: its list, its records, `include=`,
 * `fields=`, its evidence, its writes and their history. A kind added to src/kinds/index.ts is
 * covered here without a line more, or fails naming what it lacks (a documented default sort, a
 * documented member for each include, a seeded example, a merge patch in test/helpers.ts).
 */
import t from 'tap'
import { kinds, withArticle, type KindDefinition } from '../src/kinds/index.js'
import type { CitationDto } from '../src/schemas/common.js'
import {
  assertCitationsQuoteTheirSources, assertProblem, assertQueryProblem, buildTestApp, copyOfExample, get, getOnePage,
  idsOf, mergePatch, mergePatchOf, namesRevision, post, revisionsOf, writer, type Body
} from './helpers.js'

/** A schema, as far as these tests read it: its description. */
interface Documented { description?: string }

/** The default order of a kind's list, as its `sort` parameter documents it. */
function documentedDefaultSort (kind: KindDefinition): string {
  const sort = (kind.listQuery.properties as Record<string, Documented | undefined>).sort
  const match = /Default `([^`]+)`/.exec(String(sort?.description))
  if (match === null) throw new Error(`the sort parameter of GET /v1/${kind.path} documents no default`)
  return match[1]!
}

/** The member `include=<name>` embeds: the field of the record documented as coming with `include=<name>`. */
function memberOf (kind: KindDefinition, include: string): string {
  const members = Object.entries(kind.schemas.record.properties as Record<string, Documented>)
    .filter(([, schema]) => String(schema.description).includes(`\`include=${include}\``))
    .map(([name]) => name)
  if (members.length !== 1) throw new Error(`${kind.singular} should document one field as coming with \`include=${include}\`, not ${members.length}`)
  return members[0]!
}

/** A value as a sort key orders it: missing (null) before anything, numbers by value, text by code point. */
function compareValues (a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null || a === undefined) return -1
  if (b === null || b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const [x, y] = [String(a), String(b)]
  return x < y ? -1 : x > y ? 1 : 0
}

/** The records of a page put in the order `sort` names, the id last in the direction of the key before it. */
/** What a sort reads of a field: a date is placed at its earliest day, or its latest when only that is known. */
const sortValue = (record: Body, field: string) =>
  `${field}_earliest` in record ? record[`${field}_earliest`] ?? record[`${field}_latest`] ?? null : record[field]

function sortedBy (records: Body[], sort: string): Body[] {
  const terms = sort.split(',').map((key) => ({ field: key.replace(/^-/, ''), descending: key.startsWith('-') }))
  if (!terms.some((term) => term.field === 'id')) terms.push({ field: 'id', descending: terms.at(-1)!.descending })
  return [...records].sort((a, b) => {
    for (const { field, descending } of terms) {
      const order = compareValues(sortValue(a, field), sortValue(b, field))
      if (order !== 0) return descending ? -order : order
    }
    return 0
  })
}

for (const kind of kinds) {
  const list = `/v1/${kind.path}`
  const one = `${list}/${kind.exampleId}`

  t.test(`GET ${list} and GET ${list}/{id}`, async (t) => {
    // Reads only: one seeded app serves every test of this group.
    const { app } = await buildTestApp(t)

    const sort = documentedDefaultSort(kind)
    t.test(`GET ${list} answers { data, next_cursor } in its documented default order, sort=${sort}`, async (t) => {
      const { data } = await getOnePage<Body>(t, app, list, 'no rel="next" on the last page')
      t.ok(data.length > 0, `the seed has ${kind.noun}s`)
      for (const field of new Set([...sort.split(','), 'id'].map((key) => key.replace(/^-/, '')))) {
        t.ok(data.every((record) => field in record), `every ${kind.noun} has ${field}, a key of the default sort`)
      }
      const ids = data.map((record) => record.id)
      t.same(ids, sortedBy(data, sort).map((record) => record.id), `ordered by ${sort}, the id breaking ties`)
      t.same(await idsOf(t, app, `${list}?sort=${sort}`), ids, `the same as sort=${sort} spelt out`)
    })

    t.test(`GET ${list}/{id} of an unknown id is a 404 not_found naming it`, async (t) => {
      const res = await app.inject({ url: `${list}/no-such-record` })
      const body = assertProblem(t, res, 404, 'not_found')
      t.equal(body.detail, `No ${kind.noun} has the id "no-such-record".`)
      t.match(body, { title: 'Record not found', instance: `${list}/no-such-record` })
    })

    if (kind.includes.length === 0) {
      t.test(`GET ${list} and GET ${list}/{id} embed nothing: include= is an unknown parameter of theirs`, async (t) => {
        for (const url of [`${list}?include=citations`, `${one}?include=citations`]) {
          const body = assertProblem(t, await app.inject({ url }), 400, 'unknown_parameter')
          t.match(body.errors, [{ in: 'query', name: 'include' }], url)
        }
      })
    } else {
      const members = new Map(kind.includes.map((include) => [include, memberOf(kind, include)]))
      t.test(`include=${kind.includes.join(', include=')} each embed their member in ${list} and ${list}/{id}; an unknown include is a 400 naming include`, async (t) => {
        const { body: plain } = await get<Body>(app, one)
        const { data } = await getOnePage<Body>(t, app, list)
        for (const member of members.values()) {
          t.notOk(member in plain, `${one} embeds no ${member} unless included`)
          t.ok(data.every((record) => !(member in record)), `nor does ${list}`)
        }
        for (const [include, member] of members) {
          const { res, body } = await get<Body>(app, `${one}?include=${include}`)
          t.equal(res.statusCode, 200, `${one}?include=${include} answers 200`)
          t.ok(body[member] !== undefined && body[member] !== null, `include=${include} embeds ${member}`)
          t.same(Object.keys(body).sort(), [...Object.keys(plain), member].sort(), `and nothing else changes: ${member} is added`)
          const included = await getOnePage<Body>(t, app, `${list}?include=${include}`)
          t.ok(included.data.every((record) => record[member] !== undefined), `${list}?include=${include} embeds ${member} in every ${kind.noun}`)
        }
        for (const url of [list, one]) {
          await assertQueryProblem(t, app, `${url}?include=bogus`, 'invalid_parameter', { name: 'include', detail: /bogus/ }, `${url}?include=bogus`)
        }
      })
    }

    const [first, second] = kind.fields.filter((field) => field !== 'id')
    t.test(`fields=${first},${second} returns only those fields of each ${kind.noun}, plus the id; an unknown field is a 400 naming fields`, async (t) => {
      const { data: whole } = await getOnePage<Body>(t, app, list)
      const { data: sparse } = await getOnePage<Body>(t, app, `${list}?fields=${first},${second}`)
      t.same(sparse, whole.map((record) => ({ id: record.id, [first!]: record[first!], [second!]: record[second!] })), 'the same records, with only the id and the named fields')
      t.same((await get(app, `${one}?fields=${second}`)).body, { id: kind.exampleId, [second!]: whole.find((record) => record.id === kind.exampleId)![second!] })
      for (const url of [list, one]) {
        await assertQueryProblem(t, app, `${url}?fields=${first},bogus`, 'invalid_parameter', { name: 'fields', detail: /bogus/ }, `${url}?fields=${first},bogus`)
      }
    })

    if (kind.cited) {
      t.test(`every seeded ${kind.noun} has evidence (include=citations), each excerpt an exact slice of its source`, async (t) => {
        const { data } = await getOnePage<Body & { citations: CitationDto[] }>(t, app, `${list}?include=citations&limit=500`)
        for (const record of data) t.ok(record.citations.length > 0, `${String(record.id)} has evidence`)
        await assertCitationsQuoteTheirSources(t, app, data.flatMap((record) => record.citations))
      })
    }
  })

  t.test(`POST ${list} creates ${withArticle(kind.noun)} (201, Location, ETag), PATCH changes it (200, a new ETag), DELETE removes it (204, then 410), and GET ${list}/{id}/revisions lists the three, by the key that wrote them`, async (t) => {
    const { app, authorization } = await writer(t)
    const doc = copyOfExample(kind)
    const url = `${list}/${doc.id}`

    const created = await post(app, authorization, list, doc)
    t.equal(created.statusCode, 201, '201 Created')
    t.match(created.headers['content-type'], /^application\/json/)
    t.equal(created.headers.location, url, 'Location names the new record')
    t.equal(created.headers.etag, '"r1"', 'the ETag names its first revision')
    t.equal(created.json<Body>().id, doc.id)
    const read = await app.inject({ url })
    t.equal(read.statusCode, 200, 'GET finds it')
    t.match(read.headers.etag, namesRevision(1))

    const patch = mergePatchOf(kind)
    const patched = await mergePatch(app, authorization, url, patch)
    t.equal(patched.statusCode, 200, 'a merge patch answers 200')
    t.equal(patched.headers.etag, '"r2"', 'with the ETag of the next revision')
    t.match(patched.json(), patch, 'and the patched record')
    const reread = await app.inject({ url })
    t.match(reread.headers.etag, namesRevision(2), 'GET follows')
    t.match(reread.json(), patch)

    const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
    t.equal(deleted.statusCode, 204, '204 No Content')
    t.equal(deleted.body, '')
    assertProblem(t, await app.inject({ url }), 410, 'gone')

    t.same((await revisionsOf(app, url)).map((r) => [r.revision, r.action, r.author, r.etag]), [
      [1, 'create', 'desk', '"r1"'],
      [2, 'update', 'desk', '"r2"'],
      [3, 'delete', 'desk', '"r3"']
    ], 'oldest first, each by the write key that made it, and the history outlives the record')
  })
}
