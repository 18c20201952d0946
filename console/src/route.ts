import { useEffect, useState } from "preact/hooks"

/** Where the console is, read from the URL's hash (#/pages/<id>), so the back button works. */
export interface Route {
  readonly view: "overview" | "pages" | "contacts" | "rollout" | "import"
  readonly id?: string
}

const views: ReadonlyArray<Route["view"]> = ["overview", "pages", "contacts", "rollout", "import"]

const parse = (hash: string): Route => {
  const [name, id] = hash.replace(/^#\/?/, "").split("/")
  const view = views.find((candidate) => candidate === name) ?? "overview"
  return id === undefined || id === "" ? { view } : { view, id: decodeURIComponent(id) }
}

export const useRoute = () => {
  const [route, setRoute] = useState(() => parse(location.hash))
  useEffect(() => {
    const follow = () => setRoute(parse(location.hash))
    addEventListener("hashchange", follow)
    return () => removeEventListener("hashchange", follow)
  }, [])
  return route
}
