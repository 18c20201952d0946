/**
 * Contact fields of JSON-LD blocks (schema.org `Organization`, `LocalBusiness`, `Person` and their
 * nested `contactPoint`s): `email`, `telephone` and `faxNumber`, `sameAs`, and the `name` of organisations. Walked
 * with an explicit stack so deeply nested input cannot overflow the call stack.
 */

interface JsonLdContacts {
  readonly emails: Array<string>
  readonly telephones: Array<string>
  readonly sameAs: Array<string>
  /** Names of `Organization`s and businesses (`LocalBusiness`, `Corporation`, `…Business`), in page order. */
  readonly organizationNames: Array<string>
}

const isOrganization = (type: string) =>
  type === "Organization" || type === "Corporation" || type.endsWith("Business")

const strings = (value: unknown): Array<string> =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string")
      : []

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const jsonLdContacts = (blocks: ReadonlyArray<string>): JsonLdContacts => {
  const found: JsonLdContacts = { emails: [], telephones: [], sameAs: [], organizationNames: [] }
  const stack: Array<unknown> = blocks.map(parse).reverse()
  while (stack.length > 0) {
    const value = stack.pop()
    if (typeof value !== "object" || value === null) continue
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i])
      continue
    }
    const record = value as Record<string, unknown>
    found.emails.push(...strings(record.email))
    found.telephones.push(...strings(record.telephone), ...strings(record.faxNumber))
    found.sameAs.push(...strings(record.sameAs))
    if (typeof record.name === "string" && strings(record["@type"]).some(isOrganization)) {
      found.organizationNames.push(record.name)
    }
    const nested = Object.values(record).filter((item) => typeof item === "object" && item !== null)
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i])
  }
  return found
}
