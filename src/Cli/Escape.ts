/**
 * Input echoed back in a message (a bad URL, an unknown command) with its control characters
 * escaped, so that a line cannot move the cursor, recolour or retitle the operator's terminal.
 */

// C0, DEL, C1, and the bidirectional overrides that reorder what is shown.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

export const escapeControl = (text: string) =>
  text.replace(unsafe, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
