import { useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { useBlocker } from "react-router";
import { Button } from "./button";
import { Dialog } from "./dialog";

/**
 * Stops the person leaving while `when` holds: a navigation inside the app is held for
 * {@link LeaveGuardDialog} to ask about, and closing or reloading the tab gets the browser's own
 * question. `release()` lets the next navigation through at once (e.g. right after saving, before
 * the page has re-rendered).
 */
export function useLeaveGuard(when: boolean) {
  const guarding = useRef(when);
  const released = useRef(false);
  useEffect(() => {
    guarding.current = when;
    if (when) released.current = false;
  }, [when]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => {
    const leaving = currentLocation.pathname !== nextLocation.pathname;
    return leaving && guarding.current && !released.current;
  });
  useEffect(() => {
    if (!when) return;
    function handleBeforeUnload(event: BeforeUnloadEvent) {
      if (released.current || !guarding.current) return;
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = "";
    }
    window.addEventListener("beforeunload", handleBeforeUnload);
    return () => window.removeEventListener("beforeunload", handleBeforeUnload);
  }, [when]);
  return {
    blocker,
    release: () => {
      released.current = true;
    },
  };
}

/** Props of {@link LeaveGuardDialog}. */
export interface LeaveGuardDialogProps {
  guard: ReturnType<typeof useLeaveGuard>;
  title: string;
  description: ReactNode;
  stayLabel: string;
  leaveLabel: string;
}

/** Asks whether to leave when {@link useLeaveGuard} held a navigation; staying is the default. */
export function LeaveGuardDialog({ guard, title, description, stayLabel, leaveLabel }: LeaveGuardDialogProps) {
  const { blocker } = guard;
  const stayRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={blocker.state === "blocked"}
      onClose={() => blocker.reset?.()}
      title={title}
      description={description}
      size="sm"
      initialFocusRef={stayRef}
      footer={
        <>
          <Button variant="danger" onClick={() => blocker.proceed?.()}>
            {leaveLabel}
          </Button>
          <Button ref={stayRef} variant="primary" onClick={() => blocker.reset?.()}>
            {stayLabel}
          </Button>
        </>
      }
    />
  );
}
