/**
 * The console's one way to the API: the token kept in sessionStorage and sent on every call; a 401
 * anywhere signs out and tells the sign-in screen why.
 */

const TOKEN_KEY = "wf7.token"

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

type SignedOut = (reason: string) => void
const signedOutListeners = new Set<SignedOut>()

export const token = () => sessionStorage.getItem(TOKEN_KEY)

export const onSignedOut = (listener: SignedOut) => {
  signedOutListeners.add(listener)
  return () => void signedOutListeners.delete(listener)
}

export const signIn = (value: string) => sessionStorage.setItem(TOKEN_KEY, value)

export const signOut = (reason: string) => {
  sessionStorage.removeItem(TOKEN_KEY)
  signedOutListeners.forEach((listener) => listener(reason))
}

export type Params = Record<string, string | number | boolean | undefined>

/** A query string of the parameters that are set (an empty field is no filter). */
export const queryString = (params: Params) => {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, String(value))
  }
  const text = search.toString()
  return text === "" ? "" : `?${text}`
}

const messageOf = async (response: Response) => {
  const body: unknown = await response.json().catch(() => null)
  return typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
    ? body.message
    : `${response.status} ${response.statusText}`
}

const send = async (path: string, init: { method?: string; body?: unknown; bearer?: string } = {}) => {
  const response = await fetch(`/api/v3${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${init.bearer ?? token() ?? ""}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  if (response.ok) return response
  const message = await messageOf(response)
  if (response.status === 401 && init.bearer === undefined) signOut(message)
  throw new ApiError(response.status, message)
}

export const getJson = async <A>(path: string, params: Params = {}): Promise<A> =>
  (await send(`${path}${queryString(params)}`)).json()

export const sendJson = async <A>(method: "POST" | "PUT", path: string, body: unknown): Promise<A> =>
  (await send(path, { method, body })).json()

/** Checks a token before keeping it: the API answers 401 with the reason when it is refused. */
export const verify = (candidate: string) => send("/stats", { bearer: candidate }).then(() => undefined)

/** Saves what the API answers as a file: a link cannot carry the Authorization header. */
export const download = async (path: string, params: Params, filename: string) => {
  const blob = await (await send(`${path}${queryString(params)}`)).blob()
  const link = document.createElement("a")
  link.href = URL.createObjectURL(blob)
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked at once, the URL could be gone before the browser has read it to save the file.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000)
}

export const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error))
