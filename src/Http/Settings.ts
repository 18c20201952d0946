import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { Settings } from "../Settings/Settings.js"
import { Api } from "./Api.js"
import { Caller } from "./Auth.js"

/** The rollout settings, changed by whoever the request authenticated as. */
export const SettingsLive = HttpApiBuilder.group(Api, "settings", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    return handlers
      .handle("get", () => settings.get())
      .handle("update", ({ payload }) =>
        Effect.flatMap(Caller, (caller) => settings.update(payload, caller.name)),
      )
      .handle("history", ({ urlParams }) =>
        Effect.map(settings.history(urlParams.limit), (items) => ({ items })),
      )
  }),
)
