import { NodeSdk } from "@effect/opentelemetry"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base"
import { Effect, Layer, Option } from "effect"
import { AppConfig } from "../Config.js"

/**
 * Effect's spans (wf7.batch → wf7.page → wf7.fetch / wf7.extract / wf7.save → SQL) exported through
 * OpenTelemetry. With OTEL_EXPORTER_OTLP_ENDPOINT unset no span is made and nothing is exported.
 */

export const tracingWith = (serviceName: string, processor: () => SpanProcessor) =>
  NodeSdk.layer(() => ({ resource: { serviceName }, spanProcessor: processor() }))

// OTLP/HTTP, batched; the exporter reads the standard OTEL_EXPORTER_OTLP_* variables itself.
export const TracingLive = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    Option.match(config.otlpEndpoint, {
      // No exporter: spans would be built and dropped, a cost on every page for nothing.
      onNone: () => Layer.setTracerEnabled(false),
      onSome: () =>
        tracingWith(config.otelServiceName, () => new BatchSpanProcessor(new OTLPTraceExporter())),
    }),
  ),
)
