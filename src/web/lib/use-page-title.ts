import { useEffect } from "react";

/** The product name, shown in the top bar and every page title. */
export const PRODUCT_NAME = "Profile Center";

/** Sets `document.title` to `<title> · Profile Center` while the calling page is shown. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · ${PRODUCT_NAME}` : PRODUCT_NAME;
  }, [title]);
}
