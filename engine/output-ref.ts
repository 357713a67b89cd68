/**
 * Outputs too large for a Temporal payload are stored outside Temporal; the run carries this marker instead.
 * A template that reads into a stored output cannot be resolved inside the workflow (the data is not there), so
 * the resolver leaves a deferred marker that the activity completes after loading the output.
 */
export interface OutputRef {
  $kaiRef: string;
  bytes: number;
  /** Path still to be read inside the stored value. */
  path?: (string | number)[];
}

/** A string template whose parts include stored outputs; joined by the activity once they are loaded. */
export interface DeferredInterpolation {
  $kaiInterpolate: (string | OutputRef)[];
}

export function isOutputRef(value: unknown): value is OutputRef {
  return typeof value === 'object' && value !== null && typeof (value as OutputRef).$kaiRef === 'string';
}

export function isDeferredInterpolation(value: unknown): value is DeferredInterpolation {
  return typeof value === 'object' && value !== null && Array.isArray((value as DeferredInterpolation).$kaiInterpolate);
}

/**
 * True when a value carries a stored output (or text still to be joined from one): only an activity can load it,
 * under the run's workspace, so the workflow cannot read it.
 */
export function holdsStoredOutput(value: unknown): boolean {
  if (isOutputRef(value) || isDeferredInterpolation(value)) return true;
  return typeof value === 'object' && value !== null && Object.values(value).some(holdsStoredOutput);
}
