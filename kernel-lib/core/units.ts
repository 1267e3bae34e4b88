import { InvalidParameterError } from './errors.js';
import type { Unit } from '../estimate.js';

/** Validates `base` and returns the divisor that converts nats to that base, with its unit name. */
export function unitFor(base: number | undefined): { scale: number; unit: Unit } {
  if (base === undefined || base === Math.E) return { scale: 1, unit: 'nat' };
  if (typeof base !== 'number' || !Number.isFinite(base) || base <= 1) {
    throw new InvalidParameterError('options.base', `must be a finite number > 1 (e for nats, 2 for bits), got ${String(base)}`);
  }
  if (base === 2) return { scale: Math.LN2, unit: 'bit' };
  return { scale: Math.log(base), unit: `log${base}` };
}
