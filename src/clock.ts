// The one clock: Unix seconds, the unit of every time in tokens, D1 rows and cookies.
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
