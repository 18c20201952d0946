import { Layer } from "effect"
import { Fleet, FleetSlots } from "../../src/Fleet/Fleet.js"
import { PagesRepo } from "../../src/Pages/PagesRepo.js"
import { Throttle } from "../../src/Processing/Throttle.js"
import { TestDatabaseLive } from "./TestDatabase.js"

/** This process as a node of a fleet of one, on a fresh database, capping the given throttle. */
export const soloFleet = Fleet.Default.pipe(
  Layer.provide(Layer.effect(FleetSlots, Throttle)),
  Layer.provide(PagesRepo.Default),
  Layer.provide(TestDatabaseLive),
)
