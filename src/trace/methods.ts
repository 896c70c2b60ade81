/** SPEC §3.4: which money an outflow takes. */
export const METHODS = ['pro-rata', 'fifo', 'lifo', 'investor-last', 'investor-first'] as const;
export type Method = (typeof METHODS)[number];

export function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

/** Balance-only methods ignore the order of arrival; fifo and lifo keep lots. */
export function usesLots(method: Method): boolean {
  return method === 'fifo' || method === 'lifo';
}
