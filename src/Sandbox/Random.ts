import { PCGRandom } from "effect/Utils"

/**
 * Reproducible randomness for the simulator: every generated page and every fault decision comes from
 * a PCG stream named by the run's seed and a stream number, so one seed always yields the same sites.
 */
export class Rng {
  private readonly pcg: PCGRandom

  constructor(seed: number, stream: number) {
    this.pcg = new PCGRandom(seed >>> 0, stream >>> 0)
  }

  number(): number {
    return this.pcg.number()
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + this.pcg.integer(max - min + 1)
  }

  chance(probability: number): boolean {
    return this.pcg.number() < probability
  }

  pick<A>(items: ReadonlyArray<A>): A {
    const item = items[this.pcg.integer(items.length)]
    if (item === undefined) throw new Error("Rng.pick from an empty list")
    return item
  }

  sample<A>(items: ReadonlyArray<A>, count: number): Array<A> {
    const pool = [...items]
    const picked: Array<A> = []
    while (picked.length < count && pool.length > 0) {
      picked.push(...pool.splice(this.pcg.integer(pool.length), 1))
    }
    return picked
  }

  /** Replaces each `#` of the pattern with a random digit. */
  digits(pattern: string): string {
    return pattern.replace(/#/g, () => String(this.pcg.integer(10)))
  }
}
