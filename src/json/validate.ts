/**
 * A small validator for the subset of JSON Schema (draft 2020-12) that dlnv's schemas use — the gate protocol,
 * the report format, the `dlnv simulate` configuration and the `dlnv classify` point: $ref (local #/$defs/…),
 * type, const, enum, properties, required, additionalProperties (boolean or a schema), items, minItems, maxItems,
 * minimum, maximum, exclusiveMinimum, exclusiveMaximum, anyOf. It returns the first problem as one line,
 * "field: what was expected, what was found", or undefined when valid. A JSON number must be finite (1e999 parses
 * to Infinity; a marked NaN from input.ts is named as NaN). Annotations (title, description, default, $schema, $id)
 * are ignored; any other keyword is a programming error.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Schema = { [key: string]: Json };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'default', '$defs']);
const KNOWN = new Set([
  '$ref',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'anyOf',
]);

/** Bare NaN / Infinity / -Infinity of an input file, kept by input.ts as marked strings so errors can name them. */
export const NON_FINITE_MARK = '\u0000dlnv-nonfinite:';

type Path = readonly (string | number)[];

interface Problem {
  readonly path: Path;
  /** What was expected (a phrase such as 'an integer ≥ 1'), when the problem is a mismatch of one value. */
  readonly expected?: string;
  readonly found?: string;
  readonly message: string;
  /** A const failed: this anyOf branch is for another kind of value (a discriminator such as "kind"). */
  readonly otherBranch?: boolean;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function nonFinite(v: unknown): string | undefined {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.startsWith(NON_FINITE_MARK)) return v.slice(NON_FINITE_MARK.length);
  return undefined;
}

function matchesType(v: unknown, type: string): boolean {
  if (nonFinite(v) !== undefined) return false;
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  if (text === undefined) return String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** The value as the end of "found …": its kind and text, or the bare token for NaN and ±Infinity. */
function found(v: unknown): string {
  if (typeof v === 'number') return String(v);
  return nonFinite(v) ?? `${typeOf(v)} ${show(v)}`;
}

function article(type: string): string {
  if (type === 'integer') return 'an integer';
  if (type === 'number') return 'a number';
  return `a${/^[aeiou]/.test(type) ? 'n' : ''} ${type}`;
}

function mismatch(path: Path, expected: string, value: unknown, otherBranch = false, what = found(value)): Problem {
  return { path, expected, found: what, message: `expected ${expected}, found ${what}`, otherBranch };
}

function resolve(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
  const defs = root.$defs as Record<string, Schema> | undefined;
  const target = m && defs ? defs[m[1]] : undefined;
  if (!target) throw new Error(`schema: unresolvable $ref '${ref}'`);
  return target;
}

/** 'a finite number > 0', 'an integer in [1, 64]', …: the numeric bounds of a schema as a phrase. */
function bounded(schema: Schema): string {
  const kind = article(typeof schema.type === 'string' ? schema.type : 'number');
  const { minimum: lo, maximum: hi, exclusiveMinimum: xlo, exclusiveMaximum: xhi } = schema;
  if ((typeof lo === 'number' || typeof xlo === 'number') && (typeof hi === 'number' || typeof xhi === 'number')) {
    return `${kind} in ${typeof lo === 'number' ? `[${lo}` : `(${xlo}`}, ${typeof hi === 'number' ? `${hi}]` : `${xhi})`}`;
  }
  const parts: string[] = [];
  if (typeof lo === 'number') parts.push(`≥ ${lo}`);
  if (typeof xlo === 'number') parts.push(`> ${xlo}`);
  if (typeof hi === 'number') parts.push(`≤ ${hi}`);
  if (typeof xhi === 'number') parts.push(`< ${xhi}`);
  return [kind, ...parts].join(' ');
}

function outOfBounds(schema: Schema, x: number): boolean {
  const { minimum: lo, maximum: hi, exclusiveMinimum: xlo, exclusiveMaximum: xhi } = schema;
  return (
    (typeof lo === 'number' && !(x >= lo)) ||
    (typeof hi === 'number' && !(x <= hi)) ||
    (typeof xlo === 'number' && !(x > xlo)) ||
    (typeof xhi === 'number' && !(x < xhi))
  );
}

function checkObject(root: Schema, schema: Schema, obj: Record<string, unknown>, path: Path): Problem | undefined {
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  // Properties first, so that a discriminator ("kind") rejects a wrong anyOf branch before its required fields do.
  for (const [key, sub] of Object.entries(props)) {
    if (key in obj) {
      const p = check(root, sub, obj[key], [...path, key]);
      if (p) return p;
    }
  }
  if (Array.isArray(schema.required)) {
    for (const key of schema.required as string[])
      if (!(key in obj)) return { path, message: `missing required field '${key}'` };
  }
  const extra = schema.additionalProperties;
  for (const key of Object.keys(obj)) {
    if (key in props) continue;
    if (extra === false)
      return {
        path: [...path, key],
        message: `unexpected field '${key}' (expected one of ${Object.keys(props).join(', ')})`,
      };
    if (extra && typeof extra === 'object' && !Array.isArray(extra)) {
      const p = check(root, extra as Schema, obj[key], [...path, key]);
      if (p) return p;
    }
  }
  return undefined;
}

/** The failure of the anyOf branch that got furthest into the value; all branches' expectations where none did. */
function bestOfBranches(problems: Problem[], path: Path): Problem {
  const inKind = problems.filter((p) => !p.otherBranch);
  const candidates = inKind.length > 0 ? inKind : problems;
  const depth = Math.max(...candidates.map((p) => p.path.length));
  // No branch got into the value (or only discriminators failed): say what any branch would have taken.
  const atDepth = (ps: Problem[]): Problem[] => ps.filter((p) => p.path.length === depth);
  const merged = depth === path.length ? atDepth(problems) : inKind.length === 0 ? atDepth(candidates) : [];
  if (merged.length > 1 && merged.every((p) => p.expected !== undefined)) {
    const expected = [...new Set(merged.map((p) => p.expected))].join(' or ');
    const what = merged.map((p) => p.found ?? '').reduce((a, b) => (b.length > a.length ? b : a));
    return { path: merged[0].path, expected, found: what, message: `expected ${expected}, found ${what}` };
  }
  return candidates.find((p) => p.path.length === depth) as Problem;
}

function check(root: Schema, schema: Schema, value: unknown, path: Path): Problem | undefined {
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key) && !ANNOTATIONS.has(key))
      throw new Error(`schema: unsupported keyword '${key}' at /${path.join('/')}`);
  }
  if (typeof schema.$ref === 'string') {
    const p = check(root, resolve(root, schema.$ref), value, path);
    if (p) return p;
  }
  if (typeof schema.type === 'string' && !matchesType(value, schema.type)) {
    const numeric = schema.type === 'number' || schema.type === 'integer';
    return mismatch(path, numeric ? bounded(schema) : article(schema.type), value);
  }
  if ('const' in schema && value !== schema.const) return mismatch(path, show(schema.const), value, true, show(value));
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    return mismatch(path, `one of ${schema.enum.map(show).join(', ')}`, value, false, show(value));
  }
  if (typeof value === 'number' && outOfBounds(schema, value)) return mismatch(path, bounded(schema), value);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      return { path, message: `expected at least ${schema.minItems} item(s), found ${value.length}` };
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      return { path, message: `expected at most ${schema.maxItems} item(s), found ${value.length}` };
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      for (let i = 0; i < value.length; i++) {
        const p = check(root, schema.items as Schema, value[i], [...path, i]);
        if (p) return p;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const p = checkObject(root, schema, value as Record<string, unknown>, path);
    if (p) return p;
  }
  if (Array.isArray(schema.anyOf)) {
    const problems: Problem[] = [];
    for (const branch of schema.anyOf as Schema[]) {
      const p = check(root, branch, value, path);
      if (!p) return undefined;
      problems.push(p);
    }
    return bestOfBranches(problems, path);
  }
  return undefined;
}

/** How a problem's place is written: a JSON pointer (the gate's answers) or a field path such as config.phases[0].lr. */
export interface PathStyle {
  /** The field path's first name ('config'); '' for paths such as weights[0]; absent for JSON pointers. */
  readonly field?: string;
  /** What a problem of the whole value is said of (a file name); '(top level)' by default. */
  readonly top?: string;
}

function formatPath(path: Path, style: PathStyle): string {
  const top = style.top ?? '(top level)';
  if (style.field === undefined) return path.length === 0 ? top : `/${path.join('/')}`;
  const text = path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
  const joined = style.field + (style.field === '' ? text.replace(/^\./, '') : text);
  return joined === '' ? top : joined;
}

/** Validate `value` against definition `def` of the root schema (or the root itself); undefined when valid. */
export function validate(root: Schema, value: unknown, def?: string, style: PathStyle = {}): string | undefined {
  const schema = def === undefined ? root : resolve(root, `#/$defs/${def}`);
  const p = check(root, schema, value, []);
  return p ? `${formatPath(p.path, style)}: ${p.message}` : undefined;
}
