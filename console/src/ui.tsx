import { useState } from "preact/hooks"
import type { ComponentChildren } from "preact"

/** Small pieces every view uses: a labelled select, the pager, a scrollable table region. */

export const Select = (props: {
  readonly id: string
  readonly label: string
  readonly value: string
  readonly options: ReadonlyArray<string>
  readonly any?: string
  readonly onChange: (value: string) => void
}) => (
  <div class="field">
    <label for={props.id}>{props.label}</label>
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.any !== undefined && <option value="">{props.any}</option>}
      {props.options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  </div>
)

/**
 * A text filter applied when committed (Enter or leaving the field). What is typed is kept here, so a
 * list that redraws meanwhile does not wipe it.
 */
export const TextField = (props: {
  readonly id: string
  readonly label: string
  readonly value: string
  readonly onChange: (value: string) => void
}) => {
  const [draft, setDraft] = useState(props.value)
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="search"
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      />
    </div>
  )
}

export const Pager = (props: {
  readonly label: string
  readonly offset: number
  readonly limit: number
  readonly total: number
  readonly onOffset: (offset: number) => void
}) => {
  const last = Math.min(props.offset + props.limit, props.total)
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button
        type="button"
        disabled={props.offset === 0}
        onClick={() => props.onOffset(Math.max(0, props.offset - props.limit))}
      >
        Previous
      </button>
      <span aria-live="polite">
        {props.total === 0 ? "None" : `${props.offset + 1}–${last} of ${props.total}`}
      </span>
      <button
        type="button"
        disabled={last >= props.total}
        onClick={() => props.onOffset(props.offset + props.limit)}
      >
        Next
      </button>
    </nav>
  )
}

/** A wide table scrolls inside its own region on a narrow screen, reachable with the keyboard. */
export const Scroll = (props: { readonly label: string; readonly children: ComponentChildren }) => (
  <div class="scroll" role="region" aria-label={props.label} tabIndex={0}>
    {props.children}
  </div>
)

export const when = (value: string | null | undefined) =>
  value === null || value === undefined ? "—" : new Date(value).toLocaleString()

export const Head = (props: { readonly labels: ReadonlyArray<string> }) => (
  <thead>
    <tr>
      {props.labels.map((label) => (
        <th key={label} scope="col">
          {label}
        </th>
      ))}
    </tr>
  </thead>
)
