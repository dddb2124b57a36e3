/** Escapes text for HTML element and attribute content (OWASP XSS Prevention Cheat Sheet, rules 1–2). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}
