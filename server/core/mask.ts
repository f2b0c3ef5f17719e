/**
 * Masks a secret for display: a short prefix (enough to recognise the provider) and the length, never the rest.
 * Short values show fewer characters so that a masked 8-character password does not leak half of itself.
 */
export function maskSecret(secret: string): string {
  const visible = secret.length >= 20 ? 4 : secret.length >= 12 ? 3 : secret.length >= 8 ? 2 : 0;
  return `${secret.slice(0, visible)}…(${secret.length} chars)`;
}
