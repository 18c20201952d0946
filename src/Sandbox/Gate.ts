/** Held by a test (`Sandbox.hold`): admitted requests wait in flight until it is released. */
export class Gate {
  private readonly waiting = new Set<() => void>()
  private held = false

  hold(): void {
    this.held = true
  }

  release(): void {
    this.held = false
    for (const resume of this.waiting) resume()
    this.waiting.clear()
  }

  /** Calls `resume` at once when open, else on release; the returned function cancels the wait. */
  pass(resume: () => void): () => void {
    if (!this.held) {
      resume()
      return () => {}
    }
    this.waiting.add(resume)
    return () => this.waiting.delete(resume)
  }
}
