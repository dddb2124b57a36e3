import { useNavigate } from "react-router";
import { MenuButton } from "../../../components/ui/menu-button";
import { THEME_CHOICES, setThemeChoice, useThemeChoice, type ThemeChoice } from "../../../lib/theme";
import { useLogout } from "../api/logout";
import "./user-menu.css";

/** Props of {@link UserMenu}. */
export interface UserMenuProps {
  displayName: string;
  email: string;
}

const THEME_LABELS: Record<ThemeChoice, string> = { light: "Light theme", dark: "Dark theme", system: "Theme as on this device" };

function getInitials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => [...word][0]?.toUpperCase() ?? "");
  return letters.join("") || "?";
}

/**
 * The person's menu at the top right: their name, "Manage Your Profile", the theme (light, dark,
 * or as the device is set; remembered in this browser) and "Sign out" (`POST /api/v1/auth/logout`,
 * then the login page, even if the call failed).
 */
export function UserMenu({ displayName, email }: UserMenuProps) {
  const navigate = useNavigate();
  const logout = useLogout();
  const theme = useThemeChoice();

  function handleSignOut() {
    logout.mutate(undefined, { onSettled: () => void navigate("/login", { replace: true }) });
  }

  return (
    <MenuButton
      className="user-menu"
      // No aria-label: the name comes from the visible name (axe label-content-name-mismatch counts
      // the aria-hidden initials as visible text, so any label would mismatch); aria-haspopup says "menu".
      label={
        <>
          <span className="user-menu__avatar" aria-hidden="true">
            {getInitials(displayName)}
          </span>
          <span className="user-menu__name">{displayName}</span>
        </>
      }
      header={
        <>
          <span className="user-menu__header-name">{displayName}</span>
          <span>{email}</span>
        </>
      }
      items={[
        { key: "profile", label: "Manage Your Profile", to: "/profile/general" },
        ...THEME_CHOICES.map((choice) => ({
          key: `theme-${choice}`,
          label: THEME_LABELS[choice],
          checked: theme === choice,
          onSelect: () => setThemeChoice(choice),
        })),
        { key: "sign-out", label: logout.isPending ? "Signing out…" : "Sign out", onSelect: handleSignOut },
      ]}
    />
  );
}
