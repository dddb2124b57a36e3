/*
 * The few HTML pages the provider itself answers (logout confirmation, signed out, errors):
 * static markup, no script, every dynamic value HTML-escaped.
 */

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page in the product's plain style (inline styles are refused by the CSP: none used). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Profile Center</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

/** Asks whether to end the Profile Center session; `form` is the provider's hidden form (its own values). */
export function logoutPage(form: string, clientName: string | undefined): string {
  const from = clientName ? `<p>${escapeHtml(clientName)} asks to sign you out.</p>` : "";
  return page(
    "Sign out of Profile Center?",
    `${form}${from}<p>Signing out also signs you out of every app you signed in to with this session.</p>
<p><button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm">Stay signed in</button></p>`,
  );
}

export function signedOutPage(): string {
  return page("You are signed out", `<p><a href="/login">Sign in again</a></p>`);
}

export function errorPage(error: string, description: string | undefined): string {
  return page(
    "Sign-in could not continue",
    `<p>${escapeHtml(description ?? error)}</p><p>Error: <code>${escapeHtml(error)}</code></p><p><a href="/profile/general">Go to your profile</a></p>`,
  );
}
