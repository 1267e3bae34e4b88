/**
 * The payload the renderer accepts: the schema and validation of kernel-lib/display, re-exported
 * so that kernel and browser share one definition (pure data; no DOM, no JupyterLab types — the
 * unit tests compile this module with the library's tsconfig).
 */
export {
  MIME_TYPE, PAYLOAD_VERSION, MAX_SAMPLE_ROWS, KINDS, fromWire,
  type WireNumber, type JsonValue, type EstimateData, type EstimatePayload, type DivlabPayload,
  type ControlSpec, type WireMatrix, type Histogram, type EstimateRecompute, type Num, type AxisSpec,
  type SweepSeries, type SweepPayload, type TrainingSeries, type TrainingPayload, type BandwidthPayload,
  type FieldPayload, type GaussianIterate, type GaussiansPayload, type Kind,
} from '../kernel-lib/display/payload.js';
export { validatePayload, type PayloadResult } from '../kernel-lib/display/validate.js';
