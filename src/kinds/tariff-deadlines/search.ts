import { bodyOf, type SearchDocument } from '../../search/documents.js'
import type { TariffDeadlineDto } from './schemas.js'

export function tariffDeadlineSearchDocument (d: TariffDeadlineDto): SearchDocument {
  return { title: d.measure, body: bodyOf([d.measure, d.description]), date: d.deadline }
}
