import { useEffect, useId, useState } from "react";
import type { FormEvent } from "react";
import { DATE_FORMATS, TIME_FORMATS, updateMeSchema } from "@contracts/me";
import type { DateFormat, TimeFormat, UpdateMeInput, UserDto } from "@contracts/me";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Card } from "../../../components/ui/card";
import { Combobox } from "../../../components/ui/combobox";
import { Select } from "../../../components/ui/select";
import { isApiError } from "../../../lib/api-error";
import { getErrorMessage } from "../../../lib/error-messages";
import { formatDate, formatDateTime, formatTime, getBrowserTimeZone } from "../../../lib/format-date";
import { serverFieldErrors, validateWith } from "../api/field-errors";
import { useUpdateMe } from "../api/update-me";
import { CardSaveButton } from "./card-save-button";
import { toCurrentZoneName, useTimeZoneOptions } from "../hooks/use-time-zone-options";

const TIME_LABELS: Record<TimeFormat, string> = { "24h": "24-hour", "12h": "12-hour (AM/PM)" };

/** Re-renders every 30 s so the live preview shows the current minute. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(new Date()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** Environment settings: time zone (searchable), date and time formats, with a live preview. */
export function EnvironmentCard({ user, onDirtyChange }: { user: UserDto; onDirtyChange?: (isDirty: boolean) => void }) {
  const updateMe = useUpdateMe();
  const formId = useId();
  const now = useNow();
  const zones = useTimeZoneOptions();
  const [timezone, setTimezone] = useState(() => toCurrentZoneName(user.timezone, zones));
  const [dateFormat, setDateFormat] = useState<DateFormat>(user.dateFormat);
  const [timeFormat, setTimeFormat] = useState<TimeFormat>(user.timeFormat);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const browserZone = toCurrentZoneName(getBrowserTimeZone(), zones);
  const prefs = { timezone, dateFormat, timeFormat, locale: user.locale };
  const isDirty =
    timezone !== toCurrentZoneName(user.timezone, zones) || dateFormat !== user.dateFormat || timeFormat !== user.timeFormat;
  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange]);

  function change(apply: () => void) {
    updateMe.reset();
    apply();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Only what changed: a stored link name (Asia/Calcutta) is kept unless another zone is chosen.
    const input: UpdateMeInput = {
      ...(timezone !== toCurrentZoneName(user.timezone, zones) ? { timezone } : {}),
      ...(dateFormat !== user.dateFormat ? { dateFormat } : {}),
      ...(timeFormat !== user.timeFormat ? { timeFormat } : {}),
    };
    const checked = validateWith(updateMeSchema, input);
    setFieldErrors(checked.errors ?? {});
    if (!checked.data) return;
    updateMe.mutate(checked.data, { onError: (error) => setFieldErrors(serverFieldErrors(error)) });
  }

  return (
    <Card
      title="Environment"
      description="Every date and time in Profile Center is shown in this time zone and these formats."
      footer={
        <CardSaveButton formId={formId} isDirty={isDirty} isSaving={updateMe.isPending}>
          Save environment
        </CardSaveButton>
      }
    >
      <form id={formId} className="stack" noValidate onSubmit={handleSubmit}>
        {updateMe.isSuccess ? <Alert tone="success">Saved. Dates and times now use your new settings.</Alert> : null}
        {updateMe.isError && !isApiError(updateMe.error, "validation_failed") ? (
          <Alert tone="error">{getErrorMessage(updateMe.error)}</Alert>
        ) : null}
        <Combobox
          label="Time zone"
          hint="Search by city, country or zone name."
          placeholder="Search, e.g. Kathmandu or Berlin"
          options={zones}
          value={timezone}
          onChange={(value) => change(() => setTimezone(value))}
          error={fieldErrors.timezone}
        />
        {browserZone !== timezone ? (
          <div>
            <Button size="sm" variant="ghost" onClick={() => change(() => setTimezone(browserZone))}>
              Use my browser's zone ({browserZone.replace(/_/g, " ")})
            </Button>
          </div>
        ) : null}
        <div className="form-row">
          <Select
            label="Date format"
            value={dateFormat}
            onChange={(event) => change(() => setDateFormat(event.target.value as DateFormat))}
            options={DATE_FORMATS.map((format) => ({
              value: format,
              label: `${format} (${formatDate(now, { ...prefs, dateFormat: format })})`,
            }))}
            error={fieldErrors.dateFormat}
          />
          <Select
            label="Time format"
            value={timeFormat}
            onChange={(event) => change(() => setTimeFormat(event.target.value as TimeFormat))}
            options={TIME_FORMATS.map((format) => ({
              value: format,
              label: `${TIME_LABELS[format]} (${formatTime(now, { ...prefs, timeFormat: format })})`,
            }))}
            error={fieldErrors.timeFormat}
          />
        </div>
        <div className="preview" aria-live="polite">
          <span className="preview__label">Preview: the time now</span>
          <span className="preview__value">{formatDateTime(now, prefs)}</span>
        </div>
      </form>
    </Card>
  );
}
