import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'migrations/**', 'openapi/**', '.tap/**', 'test/.generated/**', 'src/explorer/api/openapi.d.ts'] })
]
