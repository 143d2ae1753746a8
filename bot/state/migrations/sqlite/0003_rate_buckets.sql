-- Token buckets of the rate limit shared by workers: tokens left and when (seconds since the epoch, by the
-- database's clock) they were counted.
CREATE TABLE IF NOT EXISTS rate_buckets (
    client TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_buckets_updated ON rate_buckets (updated);
