import type { Schema } from './schema.js';

/**
 * A small validator for the subset of JSON Schema that schema.ts uses: $ref (local #/$defs/…), type, const, enum,
 * properties, required, additionalProperties (boolean), items, minItems, maxItems, minimum, exclusiveMinimum,
 * anyOf. It returns the first problem as "path: what was expected, what was found", or undefined when valid.
 * Annotation keywords (title, description, $schema, $id) are ignored; any other keyword is a programming error.
 */

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KNOWN = new Set(['$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems', 'minimum', 'exclusiveMinimum', 'anyOf']);

interface Problem {
  readonly path: string;
  readonly message: string;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: string): boolean {
  const t = typeOf(v);
  return t === type || (type === 'number' && t === 'integer');
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  if (text === undefined) return String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function resolve(root: Schema, ref: string): Schema {
  const m = /^#\/\$defs\/([A-Za-z0-9_]+)$/.exec(ref);
  const defs = root.$defs as Record<string, Schema> | undefined;
  const target = m && defs ? defs[m[1]] : undefined;
  if (!target) throw new Error(`schema: unresolvable $ref '${ref}'`);
  return target;
}

function check(root: Schema, schema: Schema, value: unknown, path: string): Problem | undefined {
  for (const key of Object.keys(schema)) if (!KNOWN.has(key) && !ANNOTATIONS.has(key)) throw new Error(`schema: unsupported keyword '${key}' at ${path || '/'}`);
  if (typeof schema.$ref === 'string') {
    const p = check(root, resolve(root, schema.$ref), value, path);
    if (p) return p;
  }
  if (typeof schema.type === 'string' && !matchesType(value, schema.type)) {
    return { path, message: `expected ${schema.type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(schema.type) ? 'n' : ''} ${schema.type}`}, found ${typeOf(value)} ${show(value)}` };
  }
  if ('const' in schema && value !== schema.const) return { path, message: `expected ${show(schema.const)}, found ${show(value)}` };
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as never)) {
    return { path, message: `expected one of ${schema.enum.map(show).join(', ')}, found ${show(value)}` };
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && !(value >= schema.minimum)) return { path, message: `expected a number ≥ ${schema.minimum}, found ${value}` };
    if (typeof schema.exclusiveMinimum === 'number' && !(value > schema.exclusiveMinimum)) return { path, message: `expected a number > ${schema.exclusiveMinimum}, found ${value}` };
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return { path, message: `expected at least ${schema.minItems} item(s), found ${value.length}` };
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return { path, message: `expected at most ${schema.maxItems} item(s), found ${value.length}` };
    if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) {
      for (let i = 0; i < value.length; i++) {
        const p = check(root, schema.items as Schema, value[i], `${path}/${i}`);
        if (p) return p;
      }
    }
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    if (Array.isArray(schema.required)) {
      for (const key of schema.required as string[]) if (!(key in obj)) return { path, message: `missing required field '${key}'` };
    }
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, sub] of Object.entries(props)) {
      if (key in obj) {
        const p = check(root, sub, obj[key], `${path}/${key}`);
        if (p) return p;
      }
    }
    if (schema.additionalProperties === false) {
      for (const key of Object.keys(obj)) if (!(key in props)) return { path, message: `unexpected field '${key}'` };
    }
  }
  if (Array.isArray(schema.anyOf)) {
    const problems: Problem[] = [];
    for (const branch of schema.anyOf as Schema[]) {
      const p = check(root, branch, value, path);
      if (!p) return undefined;
      problems.push(p);
    }
    // The branch that got furthest into the value explains the mismatch best.
    return problems.reduce((a, b) => (b.path.length > a.path.length ? b : a));
  }
  return undefined;
}

/** Validate `value` against definition `def` of the root schema (or the root itself); undefined when valid. */
export function validate(root: Schema, value: unknown, def?: string): string | undefined {
  const schema = def === undefined ? root : resolve(root, `#/$defs/${def}`);
  const p = check(root, schema, value, '');
  return p ? `${p.path || '(top level)'}: ${p.message}` : undefined;
}
