CREATE TABLE IF NOT EXISTS rate_buckets (
    client TEXT PRIMARY KEY,
    tokens DOUBLE PRECISION NOT NULL,
    updated DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_buckets_updated ON rate_buckets (updated);
