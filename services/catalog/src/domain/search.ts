/** Escapes `%`, `_` and `\` so user text matches literally inside a LIKE/ILIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** The ILIKE pattern that finds `text` anywhere in a value. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
