/**
 * North American vanity numbers: `1-800-GO-TOURS`, `(312) CHICAGO (244-2246)`,
 * `(415) 555 HELP (4357)`. Digits in parentheses after the word complete the number; otherwise the
 * word is dialled on the keypad. Only a whole 10-digit number (11 with the leading 1) is a candidate.
 */

const keypad: Record<string, string> = {}
for (const [digit, letters] of Object.entries({
  2: "ABC",
  3: "DEF",
  4: "GHI",
  5: "JKL",
  6: "MNO",
  7: "PQRS",
  8: "TUV",
  9: "WXYZ",
}))
  for (const letter of letters) keypad[letter] = digit

// Area code (and exchange), a capitalised word of at most 10 characters in pieces, then optional digits.
const vanityPattern =
  /(?<![\w+])((?:1[-. ]?)?(?:\(\d{3}\)|\d{3})[-. ]?(?:\d{3}[-. ]?)?)([A-Z][A-Z\d]{0,9}(?:[-. ][A-Z\d]{1,10}){0,2})(?:\s?\((\d[\d. -]{2,16})\))?/g

const digits = (text: string) => text.replace(/\D/g, "")

interface VanityNumber {
  readonly digits: string
  readonly at: number
}

export const vanityNumbers = (text: string): Array<VanityNumber> => {
  const found: Array<VanityNumber> = []
  // The pattern starts with a digit or "(": a text without capital letters has no vanity number.
  if (!/[A-Z]{2}/.test(text)) return found
  for (const match of text.matchAll(vanityPattern)) {
    const [, head = "", word = "", completion] = match
    const inParentheses = completion === undefined ? "" : digits(completion)
    const number =
      inParentheses.length >= 10
        ? inParentheses
        : digits(head) +
          (completion === undefined
            ? [...word.replace(/[-. ]/g, "")].map((c) => keypad[c] ?? c).join("")
            : inParentheses)
    if (number.length === 10 || (number.length === 11 && number.startsWith("1"))) {
      found.push({ digits: number, at: match.index })
    }
  }
  return found
}
