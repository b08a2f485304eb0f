import { Type, type TSchema } from 'typebox'
import { kindTypes } from '../kinds/index.js'

export const ImportResult = Type.Object({
  records: Type.Integer({ description: 'How many records were written.', examples: [kindTypes.length * 2] }),
  by_type: Type.Record(Type.String(), Type.Integer(), { description: 'How many of each kind.', examples: [Object.fromEntries(kindTypes.map((type) => [type, 2]))] })
}, { $id: 'ImportResult', description: 'What an import wrote.', additionalProperties: false })

export const bulkSchemas: TSchema[] = [ImportResult]
