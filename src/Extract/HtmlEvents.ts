import { Tokenizer, type TokenizerCallbacks } from "htmlparser2"

/**
 * Open, close and text events over htmlparser2's tokenizer, with an element stack that stays linear
 * on adversarial nesting. (htmlparser2's own `Parser` keeps its stack with `unshift` and `indexOf`,
 * which makes 1 MB of `<div>` take seconds.)
 */

interface HtmlHandler {
  readonly open: (name: string, attributes: Readonly<Record<string, string>>) => void
  readonly close: (name: string) => void
  readonly text: (data: string) => void
}

const voidElements = new Set(
  "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(
    " ",
  ),
)

const closesP = new Set(
  `p h1 h2 h3 h4 h5 h6 address article aside blockquote details div dl fieldset figcaption figure footer form
  header hr main nav ol pre section table ul`.split(/\s+/),
)

const impliedCloses = (name: string): ReadonlySet<string> | undefined => {
  if (closesP.has(name)) return pTag
  switch (name) {
    case "li":
      return liTag
    case "dd":
    case "dt":
      return definitionTags
    case "tr":
      return rowTags
    case "td":
    case "th":
      return cellTags
    case "option":
      return optionTag
    default:
      return undefined
  }
}
const pTag = new Set(["p"])
const liTag = new Set(["li"])
const definitionTags = new Set(["dd", "dt"])
const rowTags = new Set(["tr", "td", "th"])
const cellTags = new Set(["td", "th"])
const optionTag = new Set(["option"])

export const walkHtml = (html: string, handler: HtmlHandler): void => {
  const stack: Array<string> = []
  // How many elements of each name are open, so a stray close tag is ignored without a stack search.
  const openCount = new Map<string, number>()
  let tagName = ""
  let attributes: Record<string, string> = {}
  let attributeName = ""
  let attributeValue = ""
  // The tokenizer reports text in pieces (every stray `<` starts one); adjacent pieces go on as one slice.
  let textStart = 0
  let textEnd = 0

  const flushText = () => {
    if (textEnd > textStart) handler.text(html.slice(textStart, textEnd))
    textStart = textEnd
  }

  const pop = () => {
    flushText()
    const name = stack.pop()
    if (name === undefined) return
    openCount.set(name, (openCount.get(name) ?? 1) - 1)
    handler.close(name)
  }
  const openTagEnd = () => {
    flushText()
    const implied = impliedCloses(tagName)
    while (implied !== undefined && stack.length > 0 && implied.has(stack[stack.length - 1] ?? "")) pop()
    handler.open(tagName, attributes)
    if (voidElements.has(tagName)) handler.close(tagName)
    else {
      stack.push(tagName)
      openCount.set(tagName, (openCount.get(tagName) ?? 0) + 1)
    }
  }

  const callbacks: TokenizerCallbacks = {
    ontext: (start, end) => {
      if (start !== textEnd) flushText()
      if (textEnd <= textStart) textStart = start
      textEnd = end
    },
    ontextentity: (codePoint, end) => {
      flushText()
      handler.text(String.fromCodePoint(codePoint))
      textStart = textEnd = end
    },
    onopentagname: (start, end) => {
      tagName = html.slice(start, end).toLowerCase()
      attributes = {}
    },
    onattribname: (start, end) => {
      attributeName = html.slice(start, end).toLowerCase()
      attributeValue = ""
    },
    onattribdata: (start, end) => {
      attributeValue += html.slice(start, end)
    },
    onattribentity: (codePoint) => {
      attributeValue += String.fromCodePoint(codePoint)
    },
    onattribend: () => {
      if (!Object.hasOwn(attributes, attributeName)) attributes[attributeName] = attributeValue
    },
    onopentagend: openTagEnd,
    // In HTML `<div/>` still opens a div; void elements close themselves anyway.
    onselfclosingtag: openTagEnd,
    onclosetag: (start, end) => {
      flushText()
      const name = html.slice(start, end).toLowerCase()
      if (name === "br") {
        handler.open("br", {})
        handler.close("br")
        return
      }
      if ((openCount.get(name) ?? 0) === 0) return
      while (stack.length > 0 && stack[stack.length - 1] !== name) pop()
      pop()
    },
    oncomment: () => {},
    oncdata: () => {},
    ondeclaration: () => {},
    onprocessinginstruction: () => {},
    onend: () => {
      flushText()
      while (stack.length > 0) pop()
    },
  }
  const tokenizer = new Tokenizer({ decodeEntities: true }, callbacks)
  tokenizer.write(html)
  tokenizer.end()
}
