/**
 * Contact fields of JSON-LD blocks (schema.org `Organization`, `LocalBusiness`, `Person` and their nested
 * `contactPoint`s): `email`, `telephone`, `faxNumber`, `sameAs` and organisations' `name`. Walked with an
 * explicit stack so deeply nested input cannot overflow the call stack.
 */

interface JsonLdContacts {
  readonly emails: Array<string>
  readonly telephones: Array<string>
  readonly sameAs: Array<string>
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

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null

export const jsonLdContacts = (blocks: ReadonlyArray<string>): JsonLdContacts => {
  const found: JsonLdContacts = { emails: [], telephones: [], sameAs: [], organizationNames: [] }
  const stack: Array<unknown> = blocks.map(parse).reverse()
  while (stack.length > 0) {
    const value = stack.pop()
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i])
      continue
    }
    if (!isRecord(value)) continue
    found.emails.push(...strings(value.email))
    found.telephones.push(...strings(value.telephone), ...strings(value.faxNumber))
    found.sameAs.push(...strings(value.sameAs))
    if (typeof value.name === "string" && strings(value["@type"]).some(isOrganization)) {
      found.organizationNames.push(value.name)
    }
    const nested = Object.values(value).filter((item) => typeof item === "object" && item !== null)
    for (let i = nested.length - 1; i >= 0; i--) stack.push(nested[i])
  }
  return found
}
