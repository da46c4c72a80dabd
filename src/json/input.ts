import { UsageError } from '../errors.js';
import { DecodeError, decodeMatrix, type JsonMatrix } from './matrix.js';
import { NON_FINITE_MARK, type PathStyle, type Schema, validate } from './validate.js';

/**
 * Users' JSON input files (`dlnv simulate` configurations, `dlnv classify` points): text → value → checked against
 * a schema → matrices, every problem a one-line UsageError naming the field.
 */

/** JSON.parse that keeps bare NaN / Infinity / -Infinity (Python's json writes them) so the error can name the field. */
export function parseJsonText(text: string, source: string): unknown {
  let out = '',
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token) {
      out += JSON.stringify(NON_FINITE_MARK + token);
      i += token.length - 1;
    } else out += ch;
  }
  try {
    return JSON.parse(out);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
}

/** Throw the first problem of `value` against definition `def` of `schema` as a UsageError. */
export function checkInput(schema: Schema, value: unknown, def: string, style: PathStyle): void {
  const problem = validate(schema, value, def, style);
  if (problem !== undefined) throw new UsageError(problem);
}

/** decodeMatrix for a schema-checked input matrix, its problems UsageErrors naming `field`. */
export function inputMatrix(value: unknown, field: string): ReturnType<typeof decodeMatrix> {
  try {
    return decodeMatrix(value as JsonMatrix, field);
  } catch (e) {
    if (e instanceof DecodeError) throw new UsageError(e.message);
    throw e;
  }
}
