/**
 * Compile-time agreement of a public options interface with the zod schema that validates it:
 * `true satisfies SameShape<ComfyClientOptions, z.input<typeof ComfyClientOptionsSchema>>;` fails
 * to compile when one accepts a value the other does not, names a key the other lacks, or makes
 * optional a key the other requires: at the top, in nested option objects and in array elements
 * (four levels deep; below, and for unions of objects, the types must be mutually assignable).
 * Readonly modifiers (of keys and arrays) and documentation are the interface's own.
 */
export type SameShape<A, B, Depth extends unknown[] = []> =
  Identical<A, B> extends true
    ? true
    : Depth['length'] extends 4
      ? Assignable<A, B>
      : [undefined extends A ? true : false] extends [undefined extends B ? true : false]
        ? SameMembers<NonNullable<A>, NonNullable<B>, [...Depth, unknown]>
        : false;

type SameMembers<X, Y, Depth extends unknown[]> = [X] extends [(...args: never[]) => unknown]
  ? Assignable<X, Y>
  : [X, Y] extends [readonly (infer E)[], readonly (infer F)[]]
    ? SameShape<E, F, Depth>
    : [X, Y] extends [object, object]
      ? IsUnion<X> extends true
        ? Assignable<X, Y>
        : SameKeys<X, Y, Depth>
      : Assignable<X, Y>;

type SameKeys<X, Y, Depth extends unknown[]> = [Exclude<keyof X, keyof Y> | Exclude<keyof Y, keyof X>] extends [never]
  ? [OptionalKeys<X>] extends [OptionalKeys<Y>]
    ? [OptionalKeys<Y>] extends [OptionalKeys<X>]
      ? false extends { [K in keyof X & keyof Y]-?: SameShape<X[K], Y[K], Depth> }[keyof X & keyof Y]
        ? false
        : true
      : false
    : false
  : false;

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type Assignable<A, B> = [Writable<A>] extends [Writable<B>] ? ([Writable<B>] extends [Writable<A>] ? true : false) : false;
/** `T` without readonly modifiers on arrays and keys, three levels deep (functions as they are). */
type Writable<T, Depth extends unknown[] = []> = Depth['length'] extends 3
  ? T
  : T extends (...args: never[]) => unknown
    ? T
    : T extends readonly (infer E)[]
      ? Writable<E, [...Depth, unknown]>[]
      : T extends object
        ? { -readonly [K in keyof T]: Writable<T[K], [...Depth, unknown]> }
        : T;
/** Whether `T` is a union: some member does not take the whole of `T`. */
type IsUnion<T, U = T> = [T extends unknown ? ([U] extends [T] ? 0 : 1) : never] extends [0] ? false : true;
/** Whether two types are the same type (not merely mutually assignable). */
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
