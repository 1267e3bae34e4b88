/**
 * divlab/display — showing results in notebooks. The payload schema (versioned, pure data, shared
 * with the JupyterLab extension), its validation and text formatting, and `show()`.
 */
export {
  MIME_TYPE, PAYLOAD_VERSION, toWire, fromWire, toJsonValue,
  type WireNumber, type JsonValue, type EstimateData, type EstimatePayload, type DivlabPayload,
} from './payload.js';
export { validatePayload, type PayloadResult } from './validate.js';
export { estimatePayload, type EstimatePayloadOptions } from './estimate-payload.js';
export { formatNumber, formatParam, formatParams, formatSizes, formatValue, summarize } from './format.js';
export { show, type ShowOptions } from './show.js';
