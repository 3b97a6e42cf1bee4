-- Every email of a report: one row per message (or dry-run file) and recipient. A report counts as sent to a
-- recipient for a period at most once: the partial unique index below. An explicit `--resend` (or a send that
-- raced another sender) is recorded with resend = true, so it is logged without breaking that rule.
CREATE TABLE analytics.delivery_log (
    id           bigserial   PRIMARY KEY,
    report       text        NOT NULL,
    period_first date        NOT NULL,
    period_last  date        NOT NULL,
    recipient    text        NOT NULL,
    role         text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('sent', 'failed', 'dry_run')),
    error        text,
    message_id   text,
    sent_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    run_id       bigint      REFERENCES analytics.runs (id),
    resend       boolean     NOT NULL DEFAULT false,
    CHECK (period_first <= period_last),
    CHECK ((status = 'failed') = (error IS NOT NULL))
);

CREATE UNIQUE INDEX delivery_log_sent_once
    ON analytics.delivery_log (report, period_first, period_last, lower(recipient))
    WHERE status = 'sent' AND NOT resend;

CREATE INDEX delivery_log_by_period ON analytics.delivery_log (report, period_first, period_last);
