/** Environment variables, e.g. `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Expands `$VAR` and `${VAR}` like kube-eventer (Go's os.ExpandEnv), except
 * that an unset variable is an error instead of silently empty, and `$$` is a
 * literal `$`. Returns the names that are unset or malformed.
 */
export function expandEnv(
  text: string,
  env: Env,
): { value: string; unset: string[]; malformed: string[] } {
  const unset: string[] = [];
  const malformed: string[] = [];
  const value = text.replace(
    // Bounded inside braces: `${` repeated without a `}` must not rescan the rest each time.
    /\$(?:\{([^}$]{0,256})\}|([A-Za-z_][A-Za-z0-9_]*)|(\$))/g,
    (whole, braced: string | undefined, bare: string | undefined, dollar: string | undefined) => {
      if (dollar) return '$';
      const name = braced ?? bare ?? '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        malformed.push(whole);
        return whole;
      }
      const found = env[name];
      if (found === undefined) {
        if (!unset.includes(name)) unset.push(name);
        return whole;
      }
      return found;
    },
  );
  return { value, unset, malformed };
}
