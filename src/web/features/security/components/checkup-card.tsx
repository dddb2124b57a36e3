import { Link } from "react-router";
import type { CheckupItemDto, CheckupStatus } from "@contracts/checkup";
import { Badge, type BadgeTone } from "../../../components/ui/badge";
import { buttonClassName, Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { ErrorState } from "../../../components/ui/empty-state";
import { SkeletonText } from "../../../components/ui/skeleton";
import { getErrorMessage } from "../../../lib/error-messages";
import { useCheckup, useRequestEmailVerification } from "../api/checkup";

const STATUS: Record<CheckupStatus, { tone: BadgeTone; label: string }> = {
  ok: { tone: "success", label: "OK" },
  warning: { tone: "warning", label: "Check" },
  action: { tone: "danger", label: "Fix" },
};

/** "Confirm my email address": mails the link from here rather than sending the person elsewhere. */
function ConfirmEmailButton() {
  const request = useRequestEmailVerification();
  if (request.isSuccess) return <p className="checkup__note">We sent a confirmation link to {request.data.sentTo}.</p>;
  return (
    <>
      <Button size="sm" loading={request.isPending} onClick={() => request.mutate()}>
        Send a confirmation link
      </Button>
      {request.isError ? <p className="checkup__note">{getErrorMessage(request.error)}</p> : null}
    </>
  );
}

function CheckupRow({ item }: { item: CheckupItemDto }) {
  const status = STATUS[item.status];
  return (
    <li className={`checkup__item checkup__item--${item.status}`} data-testid={`checkup/${item.id}`}>
      <Badge tone={status.tone}>{status.label}</Badge>
      <div className="checkup__text">
        <strong>{item.title}</strong>
        <span>{item.detail}</span>
      </div>
      <div className="checkup__fix">
        {item.id === "email_verified" && item.status !== "ok" ? (
          <ConfirmEmailButton />
        ) : (
          <Link className={buttonClassName({ size: "sm", variant: item.status === "ok" ? "ghost" : "secondary" })} to={item.href}>
            {item.actionLabel}
          </Link>
        )}
      </div>
    </li>
  );
}

/** The "Security checkup" card at the top of the Security page: each finding with the place that fixes it. */
export function CheckupCard() {
  const checkup = useCheckup();
  const open = checkup.data?.items.filter((i) => i.status !== "ok").length ?? 0;
  return (
    <Card
      title="Security checkup"
      description={
        checkup.isSuccess
          ? open === 0
            ? "Everything looks good."
            : `${open} thing${open === 1 ? "" : "s"} to look at.`
          : "How well your login is protected, and what to improve."
      }
      className="checkup"
    >
      {checkup.isPending ? (
        <SkeletonText lines={3} label="Running the security checkup…" />
      ) : checkup.isError ? (
        <ErrorState error={checkup.error} onRetry={() => void checkup.refetch()} />
      ) : (
        <ul className="checkup__list">
          {[...checkup.data.items]
            .sort((a, b) => rank(a.status) - rank(b.status))
            .map((item) => (
              <CheckupRow key={item.id} item={item} />
            ))}
        </ul>
      )}
    </Card>
  );
}

/** Things to fix first, then things to check, then what is fine (stable within each). */
function rank(status: CheckupStatus): number {
  return status === "action" ? 0 : status === "warning" ? 1 : 2;
}
