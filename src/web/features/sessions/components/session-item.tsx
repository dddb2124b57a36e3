import type { SessionDto } from "@contracts/sessions";
import { Badge } from "../../../components/ui/badge";
import { Button } from "../../../components/ui/button";
import { useFormatters } from "../../../lib/formatters-context";
import { DEVICE_LABELS, DeviceIcon } from "./device-icon";
import { END_REASON_LABELS } from "./labels";

/** `Chrome 126 on Windows`, or what is known of it. */
export function describeDevice(session: Pick<SessionDto, "browser" | "os" | "deviceType">): string {
  if (session.browser && session.os) return `${session.browser} on ${session.os}`;
  return session.browser ?? session.os ?? DEVICE_LABELS[session.deviceType];
}

/** `Berlin, Germany`, or null. */
function describeLocation(location: SessionDto["location"]): string | null {
  if (!location) return null;
  return [location.city, location.country].filter(Boolean).join(", ") || null;
}

/**
 * An instant shown both ways: absolute (person's zone and format), which tells two sessions of
 * the same browser apart, then relative beside it.
 */
function When({ label, iso }: { label: string; iso: string }) {
  const format = useFormatters();
  return (
    <div className="session-item__when">
      <dt>{label}</dt>
      <dd>
        <time dateTime={iso}>{format.dateTime(iso)}</time> <span className="text-muted">({format.relative(iso)})</span>
      </dd>
    </div>
  );
}

/** Props of {@link SessionItem}. */
export interface SessionItemProps {
  session: SessionDto;
  /** Offer "Revoke" (active sessions). */
  onRevoke?: (session: SessionDto) => void;
  headingLevel?: 2 | 3;
}

/** One session: device, browser and system, IP and place, when it began and was last used, MFA, and how it ended. */
export function SessionItem({ session, onRevoke, headingLevel = 3 }: SessionItemProps) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const device = describeDevice(session);
  const place = describeLocation(session.location);
  return (
    <article className="session-item" aria-label={`${device}${session.current ? " (this device)" : ""}`}>
      <span className="session-item__icon">
        <DeviceIcon type={session.deviceType} />
      </span>
      <div className="session-item__main">
        <div className="session-item__title-row">
          <Heading className="session-item__title">{device}</Heading>
          {session.current ? <Badge tone="success">This device</Badge> : null}
          {session.mfa ? <Badge tone="info">Two-factor verified</Badge> : null}
          {session.endReason ? <Badge tone="neutral">{END_REASON_LABELS[session.endReason]}</Badge> : null}
        </div>
        {/* Where it signed in from: what tells two sessions of the same browser apart. */}
        <p className="session-item__origin">
          {[place, session.ip ? `IP ${session.ip}` : "IP address unknown"].filter(Boolean).join(" · ")}
        </p>
        <p className="session-item__meta text-sm text-muted">{DEVICE_LABELS[session.deviceType]}</p>
        {session.apps.length > 0 ? (
          <p className="session-item__meta text-sm">Apps signed in: {session.apps.map((app) => app.name).join(", ")}</p>
        ) : null}
        <dl className="session-item__times text-sm">
          <When label="Signed in" iso={session.createdAt} />
          {session.endedAt ? <When label="Ended" iso={session.endedAt} /> : <When label="Last active" iso={session.lastSeenAt} />}
        </dl>
      </div>
      {onRevoke ? (
        <div className="session-item__action">
          {/* Secondary: the confirmation that follows carries the red button. */}
          <Button size="sm" variant="secondary" onClick={() => onRevoke(session)}>
            {session.current ? "Sign out" : "Revoke"}
            <span className="sr-only">{session.current ? " of this device" : ` ${device}`}</span>
          </Button>
        </div>
      ) : null}
    </article>
  );
}
