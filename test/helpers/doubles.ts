// Stand-ins for a binding or a D1 statement: the real object with some members replaced, for fault and watch tests.

/** `target` with the named members replaced; every other member passes through, methods bound to `target`. */
export function replaceMembers<T extends object>(target: T, members: Record<string, unknown>): T {
  return new Proxy(target, {
    get(t, name) {
      if (typeof name === 'string' && Object.hasOwn(members, name)) return members[name];
      const value: unknown = Reflect.get(t, name, t);
      return typeof value === 'function' ? value.bind(t) : value;
    },
  });
}
