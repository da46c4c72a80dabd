import { UsageError } from '../errors.js';
import type { Claim } from './claim.js';

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * The claims whose id matches any of the globs (`*` any run of characters, `?` one character), in catalogue
 * order. A glob that matches nothing is a usage error naming it, so a typo never silently runs zero claims.
 */
export function selectClaims<C extends Claim<any>>(catalogue: readonly C[], globs: readonly string[]): C[] {
  if (globs.length === 0) return [...catalogue];
  const patterns = globs.map((g) => ({ glob: g, re: globToRegExp(g) }));
  for (const { glob, re } of patterns) {
    if (!catalogue.some((c) => re.test(c.id))) {
      throw new UsageError(`no claim matches '${glob}' (run 'dlnv list' to see the ids)`);
    }
  }
  return catalogue.filter((c) => patterns.some(({ re }) => re.test(c.id)));
}
