import { useState } from "preact/hooks"
import { download, errorText } from "../api.js"
import { emailTypes, phoneTypes } from "../statuses.js"
import type { Contact } from "../types.js"
import { Head, Pager, Scroll, Select, TextField, when } from "../ui.js"
import { useList } from "../useList.js"

const LIMIT = 50

const noFilter = { q: "", kind: "", email_type: "", phone_type: "", domain: "" }

/** Contacts found, filtered; the CSV download takes the very filter the table shows. */
export const Contacts = () => {
  const [filter, setFilter] = useState(noFilter)
  const [offset, setOffset] = useState(0)
  const { list, problem: listProblem } = useList<Contact>("/contacts", { ...filter, limit: LIMIT, offset })
  const [downloadProblem, setProblem] = useState<string | undefined>()
  const problem = downloadProblem ?? listProblem

  const refilter = (change: Partial<typeof noFilter>) => {
    setFilter({ ...filter, ...change })
    setOffset(0)
  }

  const downloadCsv = () =>
    download("/contacts.csv", filter, "contacts.csv").catch((error: unknown) => setProblem(errorText(error)))

  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">Contacts</h1>
      <form class="filters" aria-label="Filter contacts" onSubmit={(e) => e.preventDefault()}>
        <TextField id="c-q" label="Search" value={filter.q} onChange={(q) => refilter({ q })} />
        <Select
          id="c-kind"
          label="Kind"
          any="Any"
          options={["email", "phone", "social"]}
          value={filter.kind}
          onChange={(kind) => refilter({ kind })}
        />
        <Select
          id="c-type"
          label="Email type"
          any="Any"
          options={emailTypes}
          value={filter.email_type}
          onChange={(email_type) => refilter({ email_type })}
        />
        <Select
          id="c-phone-type"
          label="Phone type"
          any="Any"
          options={phoneTypes}
          value={filter.phone_type}
          onChange={(phone_type) => refilter({ phone_type })}
        />
        <TextField
          id="c-domain"
          label="Domain"
          value={filter.domain}
          onChange={(domain) => refilter({ domain })}
        />
      </form>
      <div class="actions">
        <button type="button" onClick={downloadCsv}>
          Download CSV ({list?.total ?? 0})
        </button>
      </div>
      <p role="alert" class="problem">
        {problem}
      </p>
      <Scroll label="Contacts table">
        <table>
          <caption class="visually-hidden">Contacts matching the filter</caption>
          <Head labels={["Email", "Phone", "Type", "Domain", "Page", "Found"]} />
          <tbody>
            {(list?.items ?? []).map((contact) => (
              <tr key={contact.id}>
                <td>{contact.email ?? ""}</td>
                <td>{contact.phone ?? ""}</td>
                <td>{contact.email_type ?? contact.phone_type ?? ""}</td>
                <td>{contact.domain}</td>
                <td class="url">
                  <a href={`#/pages/${contact.page_id}`}>{contact.page_url}</a>
                </td>
                <td>{when(contact.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      <Pager label="Contacts" offset={offset} limit={LIMIT} total={list?.total ?? 0} onOffset={setOffset} />
    </section>
  )
}
