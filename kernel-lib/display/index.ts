/**
 * divlab/display — showing results in notebooks. The payload schema (versioned, pure data, shared
 * with the JupyterLab extension), its validation and text formatting, the figure builders, the
 * static SVG fallback, and `show()`.
 *
 *   display.show(knn.kl(x, y), { truth })                 // an estimate
 *   display.show(display.sweep({ title, x, y, series }))   // a figure; returns a handle
 *   handle.update(display.training({ … }))                 // redraw in place
 */
export {
  MIME_TYPE, PAYLOAD_VERSION, MAX_SAMPLE_ROWS, KINDS, toWire, fromWire, toJsonValue,
  type WireNumber, type JsonValue, type EstimateData, type EstimatePayload, type DivlabPayload,
  type ControlSpec, type WireMatrix, type Histogram, type EstimateRecompute, type Num, type AxisSpec,
  type SweepSeries, type SweepPayload, type TrainingSeries, type TrainingPayload, type BandwidthPayload,
  type FieldPayload, type GaussianIterate, type GaussiansPayload, type Kind,
} from './payload.js';
export { validatePayload, type PayloadResult } from './validate.js';
export { estimatePayload, type EstimatePayloadOptions } from './estimate-payload.js';
export {
  sweep, training, bandwidth, field, gaussians, thin,
  type Numbers, type SweepSpec, type TrainingSpec, type BandwidthSpec, type FieldSpec, type GaussiansSpec,
} from './figures.js';
export { histogram } from './histogram.js';
export { densityCurve, type DensityCurve } from './density.js';
export { fallbackSvg } from './fallback.js';
export { renderSvg } from './svg.js';
export { formatNumber, formatParam, formatParams, formatSizes, formatValue, summarize } from './format.js';
export { show, mimeBundle, DisplayHandle, type ShowOptions } from './show.js';
