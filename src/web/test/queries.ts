/**
 * The text of everything `element` is described by (`aria-describedby`, in order): what a
 * screen reader reads after the label, e.g. a field's hint and its error.
 */
export function getDescriptionText(element: Element): string {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent?.trim() ?? "")
    .join(" ");
}
