// Any object as YAML lines, for the inspect view: block style, keys in the
// object's order, strings quoted only when YAML would read them as
// something else.

const PLAIN = /^[A-Za-z0-9_./@+(][A-Za-z0-9_ ./:@+,=()<>*-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMBERISH = /^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$|^0x[0-9a-fA-F]+$|^\.(inf|nan)$/i;

export function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v !== 'string') return JSON.stringify(v) ?? 'null';
  if (v === '') return '""';
  const plain = PLAIN.test(v) && !RESERVED.test(v) && !NUMBERISH.test(v) && !v.endsWith(' ') && !v.includes(': ') && !v.includes(' #');
  return plain ? v : JSON.stringify(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function emptyText(v: unknown): string {
  return Array.isArray(v) ? '[]' : '{}';
}

export function toYaml(value: unknown, indent = ''): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`];
    return value.flatMap((item: unknown) => {
      if ((isObject(item) || Array.isArray(item)) && !isEmpty(item)) {
        const inner = toYaml(item, `${indent}  `);
        const first = inner[0] ?? '';
        return [`${indent}- ${first.slice(indent.length + 2)}`, ...inner.slice(1)];
      }
      return [`${indent}- ${isEmpty(item) ? emptyText(item) : yamlScalar(item)}`];
    });
  }
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([k, v]) => {
      const key = yamlScalar(k);
      if (isEmpty(v)) return [`${indent}${key}: ${emptyText(v)}`];
      if (isObject(v) || Array.isArray(v)) return [`${indent}${key}:`, ...toYaml(v, Array.isArray(v) ? indent : `${indent}  `)];
      return [`${indent}${key}: ${yamlScalar(v)}`];
    });
  }
  return [`${indent}${yamlScalar(value)}`];
}
