/** The event shape of POST /v1/telemetry (docs/public-contract.md). */
export type TelemetryEventType = 'session_start' | 'session_end' | 'feature' | 'error';

/** The server accepts flat strings, finite numbers and booleans only (no null, no nesting). */
export type TelemetryPropValue = string | number | boolean;
export type TelemetryProps = Record<string, TelemetryPropValue>;

export interface TelemetryEvent {
  type: TelemetryEventType;
  name: string;
  at: string;
  durationMs?: number;
  props?: TelemetryProps;
  appVersion?: string;
  osVersion?: string;
}

export interface TelemetryBatch {
  batchId: string;
  events: TelemetryEvent[];
}
