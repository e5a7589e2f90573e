// Placement constraints (`--constraint node.labels.mem==max`), parsed into a
// typed form once, at the boundary. The grammar and the matching follow
// swarmkit manager/constraint: `key op value`, op one of `==`, `!=` (tried in
// that order), surrounding blanks ignored, keys matched case-insensitively,
// label names case-sensitively, values compared case-insensitively.
// Unlike swarmkit, which accepts any key and then never schedules the task,
// shoal refuses a key it does not know, and a node.ip value that is not an
// address or subnet, so the mistake surfaces at `service create`.
import { addressOrSubnetMatches, isAddressOrSubnet } from './cidr.js';
import type { NodeRole } from './contract.js';

export type ConstraintOperator = '==' | '!=';

export type ConstraintKey =
  | { readonly kind: 'node.id' }
  | { readonly kind: 'node.hostname' }
  | { readonly kind: 'node.ip' }
  | { readonly kind: 'node.role' }
  | { readonly kind: 'node.platform.os' }
  | { readonly kind: 'node.platform.arch' }
  | { readonly kind: 'node.labels'; readonly label: string }
  | { readonly kind: 'engine.labels'; readonly label: string };

export interface Constraint {
  /** The text as the operator wrote it, for messages and `inspect`. */
  readonly expression: string;
  readonly key: ConstraintKey;
  readonly operator: ConstraintOperator;
  readonly value: string;
}

export type ParsedConstraint = { readonly ok: true; readonly constraint: Constraint } | { readonly ok: false; readonly error: string };

const OPERATORS: readonly ConstraintOperator[] = ['==', '!='];
// swarmkit's patterns.
const KEY_PATTERN = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE_PATTERN = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const PLAIN_KEYS = ['node.id', 'node.hostname', 'node.ip', 'node.role', 'node.platform.os', 'node.platform.arch'] as const;
const LABEL_PREFIXES = ['node.labels.', 'engine.labels.'] as const;

/** The keys the docs list, for error messages. */
export const CONSTRAINT_KEYS = [...PLAIN_KEYS, 'node.labels.<label>', 'engine.labels.<label>'] as const;

function refuse(expression: string, why: string): ParsedConstraint {
  return { ok: false, error: `invalid constraint ${JSON.stringify(expression)}: ${why}` };
}

function parseKey(key: string): ConstraintKey | undefined {
  const lower = key.toLowerCase();
  for (const plain of PLAIN_KEYS) if (lower === plain) return { kind: plain };
  for (const prefix of LABEL_PREFIXES) {
    if (lower.startsWith(prefix) && key.length > prefix.length) {
      const label = key.slice(prefix.length); // label names stay case-sensitive
      return prefix === 'node.labels.' ? { kind: 'node.labels', label } : { kind: 'engine.labels', label };
    }
  }
  return undefined;
}

export function parseConstraint(expression: string): ParsedConstraint {
  for (const operator of OPERATORS) {
    const i = expression.indexOf(operator);
    if (i < 0) continue;
    const keyText = expression.slice(0, i).trim();
    const value = expression.slice(i + operator.length).trim();
    if (!KEY_PATTERN.test(keyText)) return refuse(expression, `key '${keyText}' is invalid`);
    if (!VALUE_PATTERN.test(value)) return refuse(expression, `value '${value}' is invalid`);
    const key = parseKey(keyText);
    if (key === undefined) return refuse(expression, `key '${keyText}' is not one of ${CONSTRAINT_KEYS.join(', ')}`);
    if (key.kind === 'node.ip' && !isAddressOrSubnet(value)) {
      return refuse(expression, `value '${value}' is not an IP address or a subnet such as 10.0.0.0/24`);
    }
    if (key.kind === 'node.role' && !['manager', 'worker'].includes(value.toLowerCase())) {
      return refuse(expression, `value '${value}' is not a node role (manager or worker)`);
    }
    return { ok: true, constraint: { expression, key, operator, value } };
  }
  return refuse(expression, `constraint expected one operator from ${OPERATORS.join(', ')}`);
}

export type ParsedConstraints =
  | { readonly ok: true; readonly constraints: readonly Constraint[] }
  | { readonly ok: false; readonly index: number; readonly error: string };

export function parseConstraints(expressions: readonly string[]): ParsedConstraints {
  const constraints: Constraint[] = [];
  for (const [index, expression] of expressions.entries()) {
    const r = parseConstraint(expression);
    if (!r.ok) return { ok: false, index, error: r.error };
    constraints.push(r.constraint);
  }
  return { ok: true, constraints };
}

/** What a constraint can look at on a node; built from a Node by the scheduler. */
export interface NodeFacts {
  readonly id: string;
  readonly hostname: string;
  readonly addr: string;
  readonly role: NodeRole;
  readonly os: string;
  readonly arch: string;
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly engineLabels: Readonly<Record<string, string>>;
}

/** Whether the node satisfies one constraint (swarmkit NodeMatches for a single expression). */
export function constraintMatches(c: Constraint, node: NodeFacts): boolean {
  let found: boolean;
  switch (c.key.kind) {
    case 'node.ip':
      found = addressOrSubnetMatches(c.value, node.addr);
      break;
    case 'node.id':
      found = equalFold(c.value, node.id);
      break;
    case 'node.hostname':
      found = equalFold(c.value, node.hostname);
      break;
    case 'node.role':
      found = equalFold(c.value, node.role);
      break;
    case 'node.platform.os':
      found = equalFold(c.value, node.os);
      break;
    case 'node.platform.arch':
      found = equalFold(c.value, node.arch);
      break;
    case 'node.labels':
      // A missing label reads as "", so `!=` matches nodes without it.
      found = equalFold(c.value, node.nodeLabels[c.key.label] ?? '');
      break;
    case 'engine.labels':
      found = equalFold(c.value, node.engineLabels[c.key.label] ?? '');
      break;
  }
  return c.operator === '==' ? found : !found;
}

export function constraintsMatch(constraints: readonly Constraint[], node: NodeFacts): boolean {
  return constraints.every((c) => constraintMatches(c, node));
}

function equalFold(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
