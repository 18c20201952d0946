import { useEffect, useState } from "preact/hooks"
import { errorText, getJson, type Params } from "./api.js"
import type { List } from "./types.js"

/** One page of a filtered list, fetched again when the parameters or `generation` change. */
export const useList = <A>(path: string, params: Params, generation = 0) => {
  const [list, setList] = useState<List<A> | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const key = JSON.stringify(params)

  useEffect(() => {
    let current = true
    setProblem(undefined)
    getJson<List<A>>(path, params).then(
      (answer) => current && setList(answer),
      (error: unknown) => current && setProblem(errorText(error)),
    )
    return () => void (current = false)
  }, [path, key, generation])
  return { list, problem }
}
