import { useId } from "react";
import type { ReactNode } from "react";
import "./switch.css";

/** Props of {@link Switch}. */
export interface SwitchProps {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  label: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
  /** Shows a spinner-like busy state while a change is being saved. */
  busy?: boolean;
  id?: string;
}

/** An on/off control (`role="switch"`, `aria-checked`), operable with Space and Enter. */
export function Switch({ checked, onCheckedChange, label, description, disabled, busy, id }: SwitchProps) {
  const generated = useId();
  const switchId = id ?? `switch-${generated}`;
  const labelId = `${switchId}-label`;
  const descriptionId = `${switchId}-description`;
  return (
    <div className="switch-row">
      <div className="switch-row__text">
        <span id={labelId} className="switch-row__label">
          {label}
        </span>
        {description ? (
          <span id={descriptionId} className="switch-row__description">
            {description}
          </span>
        ) : null}
      </div>
      <button
        id={switchId}
        type="button"
        role="switch"
        className="switch"
        aria-checked={checked}
        aria-labelledby={labelId}
        aria-describedby={description ? descriptionId : undefined}
        aria-busy={busy || undefined}
        disabled={disabled}
        onClick={() => onCheckedChange(!checked)}
      >
        <span className="switch__thumb" aria-hidden="true" />
      </button>
    </div>
  );
}
