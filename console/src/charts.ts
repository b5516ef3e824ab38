/**
 * A decimal string ("102.35%", "44000000.00") as a chart coordinate. Only a chart's geometry
 * uses it; every figure shown in words or tables is the module's exact string.
 */
export function plotted(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const text = value.replace('%', '');
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
}
