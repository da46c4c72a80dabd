/**
 * Each claim runs from its own seed, derived from the global seed and the claim id (FNV-1a), so adding,
 * removing or reordering claims never changes another claim's instances, and a replay needs only the two.
 */
export function claimSeed(globalSeed: number, id: string): number {
  let h = 0x811c9dc5;
  const text = `${globalSeed >>> 0}:${id}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
