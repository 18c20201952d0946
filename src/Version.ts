/** The service's version: `wf7 --version`, and each node of a fleet in `nodes`. */
export const VERSION = "0.1.0"
