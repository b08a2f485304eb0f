import { bodyOf, type SearchDocument } from '../../search/documents.js'
import type { CooperationMeasureDto } from './schemas.js'

export function cooperationMeasureSearchDocument (m: CooperationMeasureDto): SearchDocument {
  return { title: m.title, body: bodyOf([m.title, m.description, m.place]), date: m.start_date ?? m.as_of }
}
