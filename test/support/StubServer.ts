import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

/** A real HTTP server whose answers the test scripts; it records every request URL it receives. */
export const stubServer = (handler: (request: http.IncomingMessage, response: http.ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ server: http.Server; url: string; requests: Array<string> }>((resume) => {
      const requests: Array<string> = []
      const server = http.createServer((request, response) => {
        requests.push(request.url ?? "")
        handler(request, response)
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, url: `http://127.0.0.1:${port}/`, requests }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      }),
  )
