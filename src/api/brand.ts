// Branded primitives: a NodeId is a string, but not every string is a NodeId.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
