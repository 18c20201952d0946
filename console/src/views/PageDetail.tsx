import { useEffect, useState } from "preact/hooks"
import { errorText, getJson } from "../api.js"
import type { PageDetail as Detail } from "../types.js"
import { Head, Scroll, when } from "../ui.js"

/** One page: where it stands, what went wrong last, when it was fetched, and what was found on it. */
export const PageDetail = (props: { readonly id: string }) => {
  const [page, setPage] = useState<Detail | undefined>()
  const [problem, setProblem] = useState<string | undefined>()

  useEffect(() => {
    getJson<Detail>(`/pages/${encodeURIComponent(props.id)}`).then(setPage, (error: unknown) =>
      setProblem(errorText(error)),
    )
  }, [props.id])

  if (page === undefined) {
    return (
      <section>
        <p role="alert" class="problem">
          {problem ?? "Loading…"}
        </p>
      </section>
    )
  }
  return (
    <section aria-labelledby="page-title">
      <p>
        <a href="#/pages">← Pages</a>
      </p>
      <h1 id="page-title" class="url">
        {page.url}
      </h1>
      <dl class="facts">
        <dt>Domain</dt>
        <dd>{page.domain}</dd>
        <dt>Curation</dt>
        <dd>{page.page_curation_status}</dd>
        <dt>Processing</dt>
        <dd>{page.page_processing_status ?? "never queued"}</dd>
        <dt>Attempts</dt>
        <dd>{page.processing_attempts}</dd>
        <dt>Last error</dt>
        <dd>{page.page_processing_error ?? "—"}</dd>
        <dt>Selected</dt>
        <dd>{when(page.selected_at)}</dd>
        <dt>Fetched</dt>
        <dd>
          {when(page.processed_at)}
          {page.fetched_with === null ? "" : `, ${page.fetched_with}`}
          {page.render_reason === null ? "" : ` (${page.render_reason})`}
        </dd>
        <dt>Credits</dt>
        <dd>{page.credits_spent}</dd>
      </dl>
      <Scroll label="Contacts of this page">
        <table>
          <caption>Contacts ({page.contacts.length})</caption>
          <Head labels={["Email", "Phone", "Type", "Source"]} />
          <tbody>
            {page.contacts.map((contact) => (
              <tr key={contact.id}>
                <td>{contact.email ?? ""}</td>
                <td>{contact.phone ?? ""}</td>
                <td>{contact.email_type ?? contact.phone_type ?? ""}</td>
                <td>{contact.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {page.social_profiles.length > 0 && (
        <ul aria-label="Social profiles">
          {page.social_profiles.map((profile) => (
            <li key={profile.id}>
              {profile.platform}: <a href={profile.url}>{profile.handle}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
