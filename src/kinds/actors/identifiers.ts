/**
 * The outside registers an actor's identifiers come from: one list, each with the format its
 * values take and the URL of a value's page there. Journalists reconcile actors with these
 * (`GET /v1/actors?identifier=wikidata:Q22686`).
 */
export interface IdentifierScheme {
  /** What the register is. */
  description: string
  /** The values it issues, as a regular expression (anchored). */
  pattern: string
  /** An example value. */
  example: string
  /** The URL of a value's page: `{value}` replaced by the value (URL-encoded); a court case's `{court}` and `{number}` by its parts. */
  url: string
}

export const identifierSchemes = {
  wikidata: {
    description: 'Wikidata item',
    pattern: '^Q[1-9][0-9]{0,11}$',
    example: 'Q22686',
    url: 'https://www.wikidata.org/wiki/{value}'
  },
  ofac_sdn: {
    description: 'U.S. Treasury OFAC Specially Designated Nationals list entry (its numeric id)',
    pattern: '^[1-9][0-9]{0,7}$',
    example: '12345',
    url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id={value}'
  },
  us_court_case: {
    description: 'U.S. federal court case: the court\'s PACER id and the case number (`nyed:1:09-cr-00466`)',
    pattern: '^[a-z]{2,6}:[0-9]:[0-9]{2}-[a-z]{2,4}-[0-9]{3,6}$',
    example: 'nyed:1:09-cr-00466',
    url: 'https://www.courtlistener.com/?type=r&court={court}&docket_number={number}'
  },
  viaf: {
    description: 'Virtual International Authority File cluster',
    pattern: '^[1-9][0-9]{0,21}$',
    example: '305426371',
    url: 'https://viaf.org/viaf/{value}'
  },
  isni: {
    description: 'International Standard Name Identifier (16 characters, no spaces)',
    pattern: '^[0-9]{15}[0-9X]$',
    example: '0000000121032683',
    url: 'https://isni.org/isni/{value}'
  },
  opensanctions: {
    description: 'OpenSanctions entity',
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
    example: 'Q22686',
    url: 'https://www.opensanctions.org/entities/{value}/'
  }
} as const satisfies Record<string, IdentifierScheme>

export type IdentifierSchemeName = keyof typeof identifierSchemes
export const identifierSchemeNames = Object.keys(identifierSchemes) as IdentifierSchemeName[]

const patterns = new Map(identifierSchemeNames.map((name) => [name, new RegExp(identifierSchemes[name].pattern)]))

/** Whether a value has its register's format. */
export const isIdentifierValue = (scheme: IdentifierSchemeName, value: string) => patterns.get(scheme)!.test(value)

/** A value's page in its register. */
export function identifierUrl (scheme: IdentifierSchemeName, value: string): string {
  const [court = '', ...number] = value.split(':')
  return identifierSchemes[scheme].url
    .replace('{value}', encodeURIComponent(value))
    .replace('{court}', encodeURIComponent(court))
    .replace('{number}', encodeURIComponent(number.join(':')))
}

/** The schemes in words, for the OpenAPI document: `wikidata` (Wikidata item, `Q22686`), … */
export const identifierSchemesInWords = identifierSchemeNames.map((name) => `\`${name}\` (${identifierSchemes[name].description}, e.g. \`${identifierSchemes[name].example}\`)`).join(', ')
