/**
 * Byte chunks joined into one array, in order (`total`: their summed length, when the caller
 * already counts it). One chunk comes back as it is, without a copy.
 */
export function joinBytes(parts: readonly Uint8Array[], total = parts.reduce((sum, part) => sum + part.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const joined = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}
