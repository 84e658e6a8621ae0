/**
 * Shape limits for parsed JSON, checked right after JSON.parse and before class-transformer, whose
 * recursion overflows the stack from about 1,300 levels and costs ~0.6 s of CPU on a 234 KB nested
 * body. REST bodies and Socket.IO payloads both pass through `jsonShapeProblem`.
 */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays (the top-level value is depth 1). */
  maxDepth: number;
  /** Most object members plus array elements in the whole value. */
  maxValues: number;
}

/**
 * Why `value` is over the limits, or undefined. Iterative (no recursion, so no stack to overflow)
 * and stops at the first violation: its cost is bounded by the limits, not by the input.
 */
export function jsonShapeProblem(value: unknown, limits: JsonLimits): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: { node: object; depth: number }[] = [{ node: value, depth: 1 }];
  let values = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: object; depth: number };
    if (depth > limits.maxDepth) return `is nested deeper than ${limits.maxDepth} levels`;
    const children: unknown[] = Array.isArray(node) ? node : Object.values(node);
    values += children.length;
    if (values > limits.maxValues) return `has more than ${limits.maxValues} values`;
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return undefined;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether raw JSON bytes nest deeper than `maxDepth`, found by one pass over the bytes before
 * JSON.parse: V8's parser itself spends ~270 ms on 200,000 levels, so the depth limit has to be
 * checked before it runs, not after. Brackets inside strings do not count.
 */
export function rawJsonTooDeep(buf: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}
