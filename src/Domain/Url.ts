import { Either } from "effect"

/** Curators' URLs made canonical; the domain drops a leading `www.`, so both spellings share contacts. */

export interface PageUrl {
  readonly url: string
  readonly domain: string
}

const MAX_LENGTH = 2048

export const normalizeUrl = (input: string): Either.Either<PageUrl, string> => {
  const raw = input.trim()
  if (raw === "") return Either.left("empty line")
  if (raw.length > MAX_LENGTH) return Either.left(`longer than ${MAX_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return Either.left("not a URL")
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Either.left(`scheme ${url.protocol.slice(0, -1)} is not http or https`)
  }
  if (url.username !== "" || url.password !== "") return Either.left("credentials in the URL")
  const host = url.hostname.replace(/\.$/, "")
  if (host === "" || (!host.includes(".") && host !== "localhost" && !host.startsWith("["))) {
    return Either.left("no valid host")
  }
  url.hash = ""
  return Either.right({ url: url.toString(), domain: host.replace(/^www\./, "") })
}

export const canonicalDomain = (domain: string) =>
  domain
    .trim()
    .toLowerCase()
    .replace(/^www\./, "")
