import { ConfigProvider, Layer } from "effect"
import { AppConfig } from "../../src/Config.js"

/** AppConfig read from the given variables only (the machine's environment is ignored). */
export const configFrom = (env: Record<string, string>) =>
  AppConfig.Default.pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))),
  )
