/**
 * dlnv's kernel switches in the environment (DLNV_WASM, DLNV_NATIVE, DLNV_THREADS; README "Speed"), read the same
 * way everywhere.
 */

/** The variable's value, or undefined (also where there is no `process`). */
export function environmentValue(name: string): string | undefined {
  return typeof process !== 'undefined' ? process.env?.[name] : undefined;
}

/** Whether the variable turns its feature off: 0, false or off. */
export function switchedOff(name: string): boolean {
  const value = environmentValue(name);
  return value === '0' || value === 'false' || value === 'off';
}
