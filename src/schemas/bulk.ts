import { Type, type TSchema } from 'typebox'

export const ImportResult = Type.Object({
  records: Type.Integer({ description: 'How many records were written.', examples: [42] }),
  by_type: Type.Record(Type.String(), Type.Integer(), { description: 'How many of each kind.', examples: [{ source: 1, actor: 13, transfer: 2, quote: 8, tariff_deadline: 1, cooperation_measure: 3 }] })
}, { $id: 'ImportResult', description: 'What an import wrote.', additionalProperties: false })

export const bulkSchemas: TSchema[] = [ImportResult]
