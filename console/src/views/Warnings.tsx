/** What `wf7 diagnose` would warn about, as the server reports it: a list, or a plain "no warnings". */
export const Warnings = (props: { readonly warnings: ReadonlyArray<string> }) => (
  <section aria-labelledby="warnings-title" class="diagnose">
    <h2 id="warnings-title">Diagnose warnings</h2>
    {props.warnings.length === 0 ? (
      <p role="status" class="no-warnings">
        No warnings.
      </p>
    ) : (
      <ul class="warnings" role="alert">
        {props.warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    )}
  </section>
)
