import { Metrics, Resource } from "@effect/opentelemetry"
import { HttpApiBuilder, HttpMiddleware, HttpServerResponse } from "@effect/platform"
import { PrometheusSerializer } from "@opentelemetry/exporter-prometheus"
import { Effect, Layer } from "effect"
import { AppConfig } from "../Config.js"
import { refreshReuseRatio, registerSeries } from "./Metrics.js"

/**
 * Effect's metrics in the Prometheus text format: @effect/opentelemetry reads the metric registry
 * as OpenTelemetry data, and the OpenTelemetry Prometheus exporter's serializer writes it out.
 */

const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

class PrometheusMetrics extends Effect.Service<PrometheusMetrics>()("Observability/PrometheusMetrics", {
  effect: Effect.gen(function* () {
    const config = yield* AppConfig
    const producer = yield* Metrics.makeProducer.pipe(
      Effect.provide(Resource.layer({ serviceName: config.otelServiceName })),
    )
    // No per-series scope label: every series would repeat the bridge's name.
    const serializer = new PrometheusSerializer(undefined, false, undefined, false, true)
    yield* registerSeries
    const render = refreshReuseRatio.pipe(
      Effect.zipRight(Effect.promise(() => producer.collect())),
      Effect.map(({ resourceMetrics }) => serializer.serialize(resourceMetrics)),
    )
    return { render } as const
  }),
}) {}

export const MetricsRouteLive = HttpApiBuilder.Router.use((router) =>
  Effect.flatMap(PrometheusMetrics, (metrics) =>
    router.get(
      "/metrics",
      // Scraped every few seconds: like the probes, it leaves no access log line.
      HttpMiddleware.withLoggerDisabled(
        Effect.map(metrics.render, (text) => HttpServerResponse.text(text, { contentType: CONTENT_TYPE })),
      ),
    ),
  ),
).pipe(Layer.provide(PrometheusMetrics.Default))
