/**
 * The password policy, enforced on the server (the original system checked it in the browser only).
 * Length beats composition (NIST SP 800-63B §5.1.1.2), so the rule is: at least 10 characters and not
 * all from one character class.
 */

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

const CLASSES: readonly RegExp[] = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u];

/** Why a password is not acceptable, or undefined when it is. */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length; // code points, so an emoji counts once
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const classes = CLASSES.filter((pattern) => pattern.test(password)).length;
  if (classes < 2)
    return 'must mix at least two of: lower-case letters, upper-case letters, digits, other characters';
  return undefined;
}
