/**
 * Responses follow the schemas the OpenAPI document gives them. The change feed and the revision
 * lists are written as JSON text from the stored revisions (never parsed and re-serialized), so
 * their schemas constrain nothing at run time: these tests hold them to the document.
 */
import t, { type Test } from 'tap'
import { kinds } from '../src/kinds/index.js'
import { buildTestApp, openApiValidator, writer, type App } from './helpers.js'

/** Some history for every kind: an update of a seeded record, and a delete. */
async function withHistory (t: Test, app: App, authorization: string) {
  const patched = await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization }, payload: { description: 'U.S. Attorney General.' } })
  t.equal(patched.statusCode, 200)
  const deleted = await app.inject({ method: 'DELETE', url: '/v1/quotes/saucedo-buying-time', headers: { authorization } })
  t.equal(deleted.statusCode, 204)
}

t.test('every page of the change feed is a ChangeList, and every change\'s data is a record of its kind', async (t) => {
  const { app, authorization } = await writer(t)
  await withHistory(t, app, authorization)
  const validate = await openApiValidator(app)
  let since: string | undefined
  let changes = 0
  for (;;) {
    const res = await app.inject({ url: `/v1/changes?limit=7${since === undefined ? '' : `&since=${since}`}` })
    t.equal(res.statusCode, 200)
    const page = res.json<{ data: Array<{ type: string, data: unknown }>, next_cursor: string, has_more: boolean }>()
    t.same(validate('ChangeList', page), [], 'the page matches ChangeList')
    for (const change of page.data) {
      const kind = kinds.find((k) => k.type === change.type)!
      const problems = validate(kind.singular, change.data)
      if (problems.length > 0) t.same(problems, [], `${change.type} data matches ${kind.singular}`)
      changes++
    }
    since = page.next_cursor
    if (!page.has_more) break
  }
  t.ok(changes >= 30, `${changes} changes checked: the 31 seeded records, an update and a delete`)
})

for (const kind of kinds) {
  t.test(`GET /v1/${kind.path}/{id}/revisions is a ${kind.singular}RevisionList`, async (t) => {
    const { app, authorization } = await writer(t)
    await withHistory(t, app, authorization)
    const validate = await openApiValidator(app)
    const list = (await app.inject({ url: `/v1/${kind.path}?limit=3` })).json<{ data: Array<{ id: string }> }>()
    const ids = kind.type === 'quote' ? [...list.data.map((r) => r.id), 'saucedo-buying-time'] : list.data.map((r) => r.id)
    t.ok(ids.length > 0)
    for (const id of ids) {
      const res = await app.inject({ url: `/v1/${kind.path}/${id}/revisions` })
      t.equal(res.statusCode, 200)
      t.same(validate(`${kind.singular}RevisionList`, res.json()), [], `${kind.type} ${id}`)
    }
  })
}

t.test('the validator is not a rubber stamp: a change missing a member fails', async (t) => {
  const { app } = await buildTestApp(t)
  const validate = await openApiValidator(app)
  const page = (await app.inject({ url: '/v1/changes?limit=1' })).json<{ data: Array<Record<string, unknown>> }>()
  delete page.data[0]!.revision
  t.match(validate('ChangeList', page), [/revision/])
})
