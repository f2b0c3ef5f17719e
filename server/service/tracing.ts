// Tracing with the OpenTelemetry API. The service always creates spans through the API (a no-op until a provider is
// registered); a provider with the OTLP HTTP exporter is registered only when the standard variables ask for one:
// `OTEL_TRACES_EXPORTER=otlp`, or `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` set (and the
// exporter not `none`). The exporter reads its endpoint, headers and timeout from those same variables.
import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { toolVersion } from '../core/version';

/** The tracer and how to flush it at shutdown. */
export interface Tracing {
  /** The service's tracer. */
  tracer: Tracer;
  /** True when an exporter is configured. */
  exporting: boolean;
  /** Flushes and stops the exporter (no-op without one). */
  shutdown(): Promise<void>;
}

/** True when the environment configures a trace exporter. */
export function exporterConfigured(env: Record<string, string | undefined>): boolean {
  const kind = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (kind === 'none' || env.OTEL_SDK_DISABLED === 'true') return false;
  if (kind === 'otlp') return true;
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Sets up tracing from the environment. */
export function setUpTracing(env: Record<string, string | undefined>): Tracing {
  if (!exporterConfigured(env)) {
    return { tracer: trace.getTracer('mcp-sentinel', toolVersion()), exporting: false, shutdown: async () => {} };
  }
  const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  provider.register();
  return {
    tracer: trace.getTracer('mcp-sentinel', toolVersion()),
    exporting: true,
    shutdown: () => provider.shutdown(),
  };
}
