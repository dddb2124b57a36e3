import { useState } from "react";
import type { SecurityEventDto } from "@contracts/sessions";
import { Badge } from "../../../components/ui/badge";
import { buttonClassName } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { EmptyState, ErrorState } from "../../../components/ui/empty-state";
import { LoadMoreButton } from "../../../components/ui/load-more-button";
import { PageHeader } from "../../../components/ui/page-header";
import { Select } from "../../../components/ui/select";
import { SkeletonText } from "../../../components/ui/skeleton";
import { Table, type TableColumn } from "../../../components/ui/table";
import { useFormatters } from "../../../lib/formatters-context";
import { getEventsDownloadUrl, useEvents } from "../api/events";
import { describeEventDetails } from "./event-details";
import { EVENT_FILTERS, getEventLabel } from "./labels";
import "./sessions.css";

function WhenCell({ iso }: { iso: string }) {
  const format = useFormatters();
  return (
    <span>
      <time dateTime={iso}>{format.dateTime(iso)}</time>
      <br />
      <span className="text-muted">{format.relative(iso)}</span>
    </span>
  );
}

function DetailsCell({ details }: { details: Record<string, unknown> }) {
  const format = useFormatters();
  return <p className="activity-details text-sm">{describeEventDetails(details, (iso) => format.dateTime(iso)) || "—"}</p>;
}

const COLUMNS: ReadonlyArray<TableColumn<SecurityEventDto>> = [
  {
    key: "event",
    header: "Event",
    cell: (event) => (
      <span className="row">
        <span>{getEventLabel(event.type)}</span>
        {event.result === "failure" ? <Badge tone="danger">Failed</Badge> : null}
      </span>
    ),
  },
  { key: "when", header: "When", cell: (event) => <WhenCell iso={event.at} /> },
  { key: "device", header: "Device", cell: (event) => event.device ?? <span className="text-muted">—</span> },
  {
    key: "where",
    header: "IP address",
    cell: (event) => {
      const place = [event.location?.city, event.location?.country].filter(Boolean).join(", ");
      return event.ip ? `${event.ip}${place ? ` (${place})` : ""}` : <span className="text-muted">—</span>;
    },
  },
  {
    key: "details",
    header: "Details",
    cell: (event) => <DetailsCell details={event.details} />,
  },
];

/** The security activity log: sign-ins, failed attempts, password, MFA and session changes. */
export function ActivityPage() {
  const [filter, setFilter] = useState("all");
  const types = EVENT_FILTERS.find((f) => f.value === filter)?.types ?? [];
  const query = useEvents(types);
  const events = query.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Activity"
        description="Security events on your profile: sign-ins, failed attempts, and changes to your password, two-factor authentication and sessions."
      />
      <Card title="Security activity">
        <div className="stack">
          <div className="activity-toolbar">
            <Select
              label="Show"
              value={filter}
              onChange={(event) => setFilter(event.target.value)}
              options={EVENT_FILTERS.map(({ value, label }) => ({ value, label }))}
            />
            <div className="activity-toolbar__downloads">
              <a className={buttonClassName({ size: "sm" })} href={getEventsDownloadUrl("csv", types)} download>
                Download CSV
              </a>
              <a className={buttonClassName({ size: "sm" })} href={getEventsDownloadUrl("json", types)} download>
                Download JSON
              </a>
            </div>
          </div>
          {query.isPending ? <SkeletonText lines={5} label="Loading your activity…" /> : null}
          {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
          {query.isSuccess ? (
            <div className="activity-list" aria-busy={query.isPlaceholderData || undefined}>
              <Table
                caption="Security events, newest first"
                hideCaption
                columns={COLUMNS}
                rows={events}
                getRowKey={(event) => event.id}
                empty={<EmptyState title="No activity to show" description="Nothing matches this filter yet." />}
              />
            </div>
          ) : null}
          <LoadMoreButton query={query} />
        </div>
      </Card>
    </>
  );
}
