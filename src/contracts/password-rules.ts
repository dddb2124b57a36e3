/**
 * The password rules that need no blocklist, shared by the server's policy and the web's meter
 * (so the page refuses before submit what the server would): a password must not contain the
 * person's name or email (ASVS 6.2.11), nor the product's name.
 */

const PRODUCT_WORDS = ["profile center", "profilecenter", "profile-center", "connect auth", "connectauth"];

/**
 * The words of a name or email a password must not contain: the whole value, the parts of the
 * local part, and the domain's labels but its top-level one (`com` would refuse `welcome`).
 * Parts shorter than 3 characters are too common to refuse.
 */
function contextWordsOf(input: string): string[] {
  const value = input.toLowerCase().trim();
  const [local, domain] = value.includes("@")
    ? [value.slice(0, value.lastIndexOf("@")), value.slice(value.lastIndexOf("@") + 1)]
    : [value, ""];
  const domainLabels = domain.split(".").slice(0, -1);
  return [value, local, ...local.split(/[.\s_+-]+/), ...domainLabels].filter((p) => p.length >= 3);
}

/**
 * Why `password` is refused for holding the product's name or one of `userInputs` (the person's
 * email and names), in words a person can act on; undefined when it holds neither.
 */
export function findPersonalWordProblem(
  password: string,
  userInputs: ReadonlyArray<string | null | undefined>,
  productWords: readonly string[] = PRODUCT_WORDS,
): string | undefined {
  const lower = password.toLowerCase();
  if (productWords.some((word) => lower.includes(word.toLowerCase())))
    return "Don't use the name of this product in your password.";
  for (const input of userInputs) {
    if (input && contextWordsOf(input).some((part) => lower.includes(part)))
      return "Don't use your name or email address in your password.";
  }
  return undefined;
}
