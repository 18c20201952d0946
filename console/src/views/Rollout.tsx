import { useEffect, useState } from "preact/hooks"
import { errorText, getJson, sendJson } from "../api.js"
import type { Settings, SettingsChange } from "../types.js"
import { Head, Scroll, when } from "../ui.js"

const settingNames = ["concurrent_enabled", "rollout_percent", "max_concurrency"] as const

/** The seed's rollout plan without a restart: off → 10 % → 50 % → 100 %, and back at once. */
export const Rollout = () => {
  const [saved, setSaved] = useState<Settings | undefined>()
  const [draft, setDraft] = useState<Settings | undefined>()
  const [history, setHistory] = useState<ReadonlyArray<SettingsChange>>([])
  const [message, setMessage] = useState<string | undefined>()

  const load = async () => {
    const [settings, changes] = await Promise.all([
      getJson<Settings>("/settings"),
      getJson<{ items: ReadonlyArray<SettingsChange> }>("/settings/history"),
    ])
    setSaved(settings)
    setDraft(settings)
    setHistory(changes.items)
  }

  useEffect(() => {
    load().catch((error: unknown) => setMessage(errorText(error)))
  }, [])

  if (draft === undefined || saved === undefined) return <p role="status">{message ?? "Loading…"}</p>

  const changes = Object.fromEntries(
    settingNames.filter((name) => draft[name] !== saved[name]).map((name) => [name, draft[name]]),
  )

  const save = async (event: Event) => {
    event.preventDefault()
    try {
      await sendJson<Settings>("PUT", "/settings", changes)
      await load()
      setMessage("Saved: every node applies it at its next batch.")
    } catch (error) {
      setMessage(errorText(error))
    }
  }

  return (
    <section aria-labelledby="rollout-title">
      <h1 id="rollout-title">Rollout</h1>
      <form onSubmit={save} class="stack narrow">
        <label class="inline">
          <input
            type="checkbox"
            id="concurrent"
            checked={draft.concurrent_enabled}
            onChange={(e) => setDraft({ ...draft, concurrent_enabled: e.currentTarget.checked })}
          />
          Concurrent processing
        </label>
        <label for="rollout">Rollout share: {draft.rollout_percent} % of batches run concurrently</label>
        <input
          id="rollout"
          type="range"
          min={0}
          max={100}
          step={5}
          value={draft.rollout_percent}
          onInput={(e) => setDraft({ ...draft, rollout_percent: e.currentTarget.valueAsNumber })}
        />
        <label for="max-concurrency">Max concurrency (pages in flight)</label>
        <input
          id="max-concurrency"
          type="number"
          min={1}
          value={draft.max_concurrency}
          onInput={(e) => setDraft({ ...draft, max_concurrency: e.currentTarget.valueAsNumber })}
        />
        <button type="submit" class="primary" disabled={Object.keys(changes).length === 0}>
          Save
        </button>
      </form>
      <p role="status" class="message">
        {message}
      </p>
      <p>
        In force: {saved.concurrent_enabled ? "concurrent" : "sequential"}, {saved.rollout_percent} %, max{" "}
        {saved.max_concurrency}; set by {saved.updated_by} {when(saved.updated_at)}.
      </p>
      <Scroll label="Rollout history">
        <table>
          <caption>History</caption>
          <Head labels={["When", "Who", "Setting", "From", "To"]} />
          <tbody>
            {history.map((change, index) => (
              <tr key={index}>
                <td>{when(change.changed_at)}</td>
                <td>{change.changed_by}</td>
                <td>{change.setting}</td>
                <td>{change.old_value}</td>
                <td>{change.new_value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
    </section>
  )
}
