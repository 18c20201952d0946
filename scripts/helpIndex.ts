import { writeFileSync } from "node:fs"
import { helpIndexOf } from "../src/Cli/Help.js"
import { helpIndexFile } from "../src/Cli/HelpIndex.js"
import { program } from "../src/Cli/Program.js"

/** Run by `npm run build`: writes every help text to dist/help.json for `wf7 --help` to print. */
writeFileSync(helpIndexFile(import.meta.url), `${JSON.stringify(helpIndexOf(program))}\n`)
