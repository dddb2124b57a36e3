import type { ReactNode } from "react";
import { Button } from "../../../components/ui/button";

/** Props of {@link CardSaveButton}. */
export interface CardSaveButtonProps {
  /** The id of the card's form (the button sits in the card footer, outside the form). */
  formId: string;
  /** Something was changed: nothing to save otherwise. */
  isDirty: boolean;
  isSaving: boolean;
  children: ReactNode;
}

/** The primary "Save" of a General card: disabled until something changed, busy while saving. */
export function CardSaveButton({ formId, isDirty, isSaving, children }: CardSaveButtonProps) {
  return (
    <Button type="submit" form={formId} variant="primary" loading={isSaving} disabled={!isDirty && !isSaving}>
      {children}
    </Button>
  );
}
