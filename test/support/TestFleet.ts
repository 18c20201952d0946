import { Layer } from "effect"
import { FleetLive } from "../../src/Processing/Worker.js"
import { TestDatabaseLive } from "./TestDatabase.js"

/** This process as a node of a fleet of one, on a fresh database, capping the engine's slots. */
export const soloFleet = FleetLive.pipe(Layer.provide(TestDatabaseLive))
