import type { DeviceType } from "@contracts/sessions";

/** Inline SVG outlines (no external assets under the CSP), decorative: the text says the same. */
const PATHS: Record<DeviceType, string> = {
  desktop: "M3 4h18v12H3zM8 20h8M12 16v4",
  mobile: "M7 2h10v20H7zM11 18h2",
  tablet: "M4 3h16v18H4zM11 18h2",
  bot: "M6 8h12v10H6zM12 4v4M9 12h.01M15 12h.01M9 15h6M3 12v3M21 12v3",
  unknown: "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7M12 17h.01",
};

/** A 24 px outline of the device kind. */
export function DeviceIcon({ type }: { type: DeviceType }) {
  return (
    <svg className="device-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path d={PATHS[type]} fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

/** "Desktop", "Phone"… for the device kind. */
export const DEVICE_LABELS: Record<DeviceType, string> = {
  desktop: "Computer",
  mobile: "Phone",
  tablet: "Tablet",
  bot: "Automated client",
  unknown: "Unknown device",
};
