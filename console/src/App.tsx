import { useEffect, useState } from "preact/hooks"
import { onSignedOut, signOut, token } from "./api.js"
import { useRoute, type Route } from "./route.js"
import { Contacts } from "./views/Contacts.js"
import { Import } from "./views/Import.js"
import { Overview } from "./views/Overview.js"
import { PageDetail } from "./views/PageDetail.js"
import { Pages } from "./views/Pages.js"
import { Rollout } from "./views/Rollout.js"
import { SignIn } from "./views/SignIn.js"

const sections: ReadonlyArray<{ readonly view: Route["view"]; readonly label: string }> = [
  { view: "overview", label: "Overview" },
  { view: "pages", label: "Pages" },
  { view: "contacts", label: "Contacts" },
  { view: "rollout", label: "Rollout" },
  { view: "import", label: "Import" },
]

const View = ({ route }: { readonly route: Route }) => {
  switch (route.view) {
    case "overview":
      return <Overview />
    case "pages":
      return route.id === undefined ? <Pages /> : <PageDetail id={route.id} />
    case "contacts":
      return <Contacts />
    case "rollout":
      return <Rollout />
    case "import":
      return <Import />
  }
}

export const App = () => {
  const [signedIn, setSignedIn] = useState(token() !== null)
  const [reason, setReason] = useState<string | undefined>(undefined)
  const route = useRoute()

  useEffect(
    () =>
      onSignedOut((why) => {
        setReason(why)
        setSignedIn(false)
      }),
    [],
  )

  if (!signedIn) return <SignIn reason={reason} onSignedIn={() => setSignedIn(true)} />
  const current = sections.find((section) => section.view === route.view)
  return (
    <>
      <header class="top">
        <span class="brand">WF7</span>
        <nav aria-label="Console sections">
          {sections.map((section) => (
            <a
              key={section.view}
              href={`#/${section.view}`}
              aria-current={section === current ? "page" : undefined}
            >
              {section.label}
            </a>
          ))}
        </nav>
        <button type="button" class="quiet" onClick={() => signOut("You signed out.")}>
          Sign out
        </button>
      </header>
      <main id="main">
        <View route={route} />
      </main>
    </>
  )
}
