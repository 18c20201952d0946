import { useState } from "preact/hooks"
import { errorText, sendJson } from "../api.js"
import type { ImportResult } from "../types.js"
import { Head, Scroll } from "../ui.js"

/** The non-empty lines of what was pasted, each with its line number for the invalid list. */
const linesOf = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line, index) => ({ url: line.trim(), line: index + 1 }))
    .filter((entry) => entry.url !== "")

export const Import = () => {
  const [text, setText] = useState("")
  const [select, setSelect] = useState(false)
  const [result, setResult] = useState<{ answer: ImportResult; lines: Array<number> } | undefined>()
  const [problem, setProblem] = useState<string | undefined>()

  const readFile = async (files: FileList | null) => {
    const file = files?.[0]
    if (file !== undefined) setText(await file.text())
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const lines = linesOf(text)
    setProblem(undefined)
    try {
      const answer = await sendJson<ImportResult>("POST", "/pages", { urls: lines.map((l) => l.url), select })
      setResult({ answer, lines: lines.map((l) => l.line) })
    } catch (error) {
      setProblem(errorText(error))
    }
  }

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import</h1>
      <form onSubmit={submit} class="stack">
        <label for="urls">URLs, one per line</label>
        <textarea id="urls" rows={10} value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <label for="file">Or choose a file</label>
        <input
          id="file"
          type="file"
          accept=".txt,.csv,text/plain"
          onChange={(e) => readFile(e.currentTarget.files)}
        />
        <label class="inline">
          <input type="checkbox" checked={select} onChange={(e) => setSelect(e.currentTarget.checked)} />
          Select them at once (queue for processing)
        </label>
        <button type="submit" disabled={linesOf(text).length === 0}>
          Import
        </button>
      </form>
      <p role="alert" class="problem">
        {problem}
      </p>
      {result && (
        <div role="status" class="result">
          <p id="import-summary">
            {result.answer.created} created, {result.answer.existing} already known, {result.answer.queued}{" "}
            queued, {result.answer.invalid_count} invalid.
          </p>
          {result.answer.invalid.length > 0 && (
            <Scroll label="Invalid lines">
              <table>
                <caption>Invalid lines</caption>
                <Head labels={["Line", "Text", "Reason"]} />
                <tbody>
                  {result.answer.invalid.map((invalid) => (
                    <tr key={invalid.index}>
                      <td>{result.lines[invalid.index]}</td>
                      <td class="url">{invalid.url}</td>
                      <td>{invalid.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          )}
        </div>
      )}
    </section>
  )
}
