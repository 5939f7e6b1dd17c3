/** RPPS: 11 digits, the last a Luhn check digit over the first ten. */
export function isValidRpps(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 11; i++) {
    let d = value.charCodeAt(10 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Appends the Luhn check digit to a 10-digit prefix (demo data and tests). */
export function withRppsCheckDigit(prefix10: string): string {
  for (let d = 0; d <= 9; d++) if (isValidRpps(prefix10 + d)) return prefix10 + d;
  throw new Error('unreachable');
}
