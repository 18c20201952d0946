import { useEffect, useState } from "preact/hooks"
import { errorText, getJson, sendJson } from "../api.js"
import type { MatchingCount, StatusChange } from "../types.js"
import type { PageFilter } from "./Pages.js"

/** The filter as the API takes it: empty fields left out, and an empty filter said to mean "all". */
const filterBody = (filter: PageFilter) => {
  const set = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ""))
  return Object.keys(set).length === 0 ? { all: true } : set
}

/**
 * "Select all N matching": N is counted first and shown on the button that runs it, so nobody
 * queues more than they saw; more than WF7_MAX_FILTERED_BATCH_SIZE is said, and not offered.
 */
export const SelectAllMatching = (props: {
  readonly filter: PageFilter
  readonly onDone: (text: string) => void
}) => {
  const [count, setCount] = useState<MatchingCount | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  // A count is of one filter: a changed filter must be counted again before it is run.
  useEffect(() => setCount(undefined), [JSON.stringify(props.filter)])

  const countMatching = async () => {
    setProblem(undefined)
    try {
      setCount(await getJson<MatchingCount>("/pages/count", { ...props.filter }))
    } catch (error) {
      setProblem(errorText(error))
    }
  }

  const run = async () => {
    try {
      const body = { ...filterBody(props.filter), status: "Selected" }
      const change = await sendJson<StatusChange>("PUT", "/pages/status/filtered", body)
      props.onDone(`${change.updated} pages selected, ${change.queued} queued.`)
      setCount(undefined)
    } catch (error) {
      setProblem(errorText(error))
    }
  }

  return (
    <span class="select-all">
      {count === undefined ? (
        <button type="button" onClick={countMatching}>
          Select all matching…
        </button>
      ) : (
        <>
          {count.exceeds_limit ? (
            <span role="alert" class="problem">
              {count.matching} pages match: one change may select {count.max_filtered_batch_size} at most.
              Narrow the filter.
            </span>
          ) : (
            <button type="button" class="primary" disabled={count.matching === 0} onClick={run}>
              Select all {count.matching} matching
            </button>
          )}
          <button type="button" class="quiet" onClick={() => setCount(undefined)}>
            Cancel
          </button>
        </>
      )}
      {problem !== undefined && (
        <span role="alert" class="problem">
          {problem}
        </span>
      )}
    </span>
  )
}
