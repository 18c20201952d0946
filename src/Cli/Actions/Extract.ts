import { Console, Effect, Option } from "effect"
import { AppConfig } from "../../Config.js"
import { extract } from "../../Extract/index.js"
import { ExitCode } from "../Errors.js"
import { readInput } from "../Input.js"

const EX_NOINPUT = 66

export const extractFiles = ({
  files,
  url,
}: {
  readonly files: ReadonlyArray<string>
  readonly url: Option.Option<string>
}) =>
  Effect.gen(function* () {
    const { defaultPhoneRegion } = yield* AppConfig
    const options = { url: Option.getOrUndefined(url), defaultRegion: defaultPhoneRegion }
    let unreadable = 0
    // One file at a time, in the order given, so output lines match the arguments.
    for (const file of files.length === 0 ? ["-"] : files) {
      const html = yield* readInput(file).pipe(
        Effect.tapError((error) => Console.error(`wf7 extract: cannot read ${file}: ${error.message}`)),
        Effect.option,
      )
      if (Option.isNone(html)) {
        unreadable++
        continue
      }
      const { emails, phones, socials } = extract(html.value, options)
      yield* Console.log(JSON.stringify({ file, emails, phones, socials }))
    }
    if (unreadable > 0) return yield* new ExitCode({ code: EX_NOINPUT })
  }).pipe(Effect.provide(AppConfig.Default))
