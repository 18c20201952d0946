#!/usr/bin/env node
import { helpIndexFile, indexedHelp, readHelpIndex } from "./Cli/HelpIndex.js"

// Help from the text rendered at build time; anything else loads the command line.
const help = indexedHelp(readHelpIndex(helpIndexFile(import.meta.url)), process.argv.slice(2))
if (help === undefined) await import("./Cli/CommandLine.js")
else console.log(help)
