import { useState } from "preact/hooks"
import { errorText, signIn, verify } from "../api.js"

/** The API key or a JWT, checked against the API before it is kept for this browser tab. */
export const SignIn = (props: { readonly reason: string | undefined; readonly onSignedIn: () => void }) => {
  const [value, setValue] = useState("")
  const [problem, setProblem] = useState(props.reason)
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    try {
      await verify(value.trim())
      signIn(value.trim())
      props.onSignedIn()
    } catch (error) {
      setProblem(errorText(error))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>WF7 console</h1>
      <form onSubmit={submit}>
        <label for="token">API key or JWT</label>
        <input
          id="token"
          type="password"
          autocomplete="off"
          required
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p role="alert" class="problem">
          {problem}
        </p>
      </form>
      <p class="hint">Kept for this browser tab only (sessionStorage) and sent with every request.</p>
    </main>
  )
}
