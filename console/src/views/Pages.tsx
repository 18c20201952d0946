import { useState } from "preact/hooks"
import { errorText, sendJson } from "../api.js"
import { curationStatuses, processingStatuses } from "../statuses.js"
import type { Page, StatusChange } from "../types.js"
import { Pager, Scroll, Select, TextField, when } from "../ui.js"
import { useList } from "../useList.js"
import { SelectAllMatching } from "./SelectAllMatching.js"

const LIMIT = 50

export interface PageFilter {
  readonly page_curation_status: string
  readonly page_processing_status: string
  readonly url_contains: string
  readonly domain: string
}

const noFilter: PageFilter = {
  page_curation_status: "",
  page_processing_status: "",
  url_contains: "",
  domain: "",
}

/** The orders the API takes, each kept by an index. */
type SortKey = "created_at" | "url"

/** Columns; those with `sort` order the list by it (the orders an index keeps). */
const columns: ReadonlyArray<{ readonly label: string; readonly sort?: SortKey }> = [
  { label: "URL", sort: "url" },
  { label: "Curation" },
  { label: "Processing" },
  { label: "Attempts" },
  { label: "Contacts" },
  { label: "Imported", sort: "created_at" },
]

export const Pages = () => {
  const [filter, setFilter] = useState(noFilter)
  const [sort, setSort] = useState<{ key: SortKey; order: "asc" | "desc" }>({
    key: "created_at",
    order: "asc",
  })
  const [offset, setOffset] = useState(0)
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set())
  const [message, setMessage] = useState<string | undefined>()
  const [generation, setGeneration] = useState(0)

  const { list, problem } = useList<Page>(
    "/pages",
    { ...filter, sort: sort.key, order: sort.order, limit: LIMIT, offset },
    generation,
  )

  const refilter = (change: Partial<PageFilter>) => {
    setFilter({ ...filter, ...change })
    setOffset(0)
    setChecked(new Set())
  }

  const toggle = (id: string, on: boolean) => {
    const next = new Set(checked)
    if (on) next.add(id)
    else next.delete(id)
    setChecked(next)
  }

  const setStatus = async (status: "Selected" | "Rejected") => {
    try {
      const change = await sendJson<StatusChange>("PUT", "/pages/status", { page_ids: [...checked], status })
      setMessage(`${change.updated} pages set to ${status}, ${change.queued} queued.`)
      setChecked(new Set())
      setGeneration(generation + 1)
    } catch (error) {
      setMessage(errorText(error))
    }
  }

  const sortBy = (key: SortKey) =>
    setSort({ key, order: sort.key === key && sort.order === "asc" ? "desc" : "asc" })

  const items = list?.items ?? []
  const allChecked = items.length > 0 && items.every((page) => checked.has(page.id))
  return (
    <section aria-labelledby="pages-title">
      <h1 id="pages-title">Pages</h1>
      <form class="filters" aria-label="Filter pages" onSubmit={(e) => e.preventDefault()}>
        <Select
          id="f-curation"
          label="Curation status"
          any="Any"
          options={curationStatuses}
          value={filter.page_curation_status}
          onChange={(value) => refilter({ page_curation_status: value })}
        />
        <Select
          id="f-processing"
          label="Processing status"
          any="Any"
          options={processingStatuses}
          value={filter.page_processing_status}
          onChange={(value) => refilter({ page_processing_status: value })}
        />
        <TextField
          id="f-url"
          label="URL contains"
          value={filter.url_contains}
          onChange={(v) => refilter({ url_contains: v })}
        />
        <TextField
          id="f-domain"
          label="Domain"
          value={filter.domain}
          onChange={(v) => refilter({ domain: v })}
        />
      </form>
      <div class="actions">
        <button type="button" disabled={checked.size === 0} onClick={() => setStatus("Selected")}>
          Select checked ({checked.size})
        </button>
        <button type="button" disabled={checked.size === 0} onClick={() => setStatus("Rejected")}>
          Reject checked
        </button>
        <SelectAllMatching
          filter={filter}
          onDone={(text) => {
            setMessage(text)
            setGeneration(generation + 1)
          }}
        />
      </div>
      <p role="status" class="message">
        {message}
      </p>
      <p role="alert" class="problem">
        {problem}
      </p>
      <Scroll label="Pages table">
        <table>
          <caption class="visually-hidden">Pages matching the filter</caption>
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Check every page shown"
                  checked={allChecked}
                  onChange={(e) =>
                    setChecked(e.currentTarget.checked ? new Set(items.map((page) => page.id)) : new Set())
                  }
                />
              </th>
              {columns.map(({ label, sort: key }) => (
                <th
                  key={label}
                  scope="col"
                  aria-sort={
                    key === undefined
                      ? undefined
                      : sort.key === key
                        ? sort.order === "asc"
                          ? "ascending"
                          : "descending"
                        : "none"
                  }
                >
                  {key === undefined ? (
                    label
                  ) : (
                    <button type="button" class="sort" onClick={() => sortBy(key)}>
                      {label}
                    </button>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((page) => (
              <tr key={page.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Check ${page.url}`}
                    checked={checked.has(page.id)}
                    onChange={(e) => toggle(page.id, e.currentTarget.checked)}
                  />
                </td>
                <td class="url">
                  <a href={`#/pages/${page.id}`}>{page.url}</a>
                </td>
                <td>{page.page_curation_status}</td>
                <td>{page.page_processing_status ?? "—"}</td>
                <td>{page.processing_attempts}</td>
                <td>{page.contact_count ?? "—"}</td>
                <td>{when(page.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <Pager label="Pages" offset={offset} limit={LIMIT} total={list?.total ?? 0} onOffset={setOffset} />
    </section>
  )
}
