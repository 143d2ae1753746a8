-- The idempotency keys of feedback named as such (a shared database holds more than feedback), and the
-- lookup of an answer's one record by index.
ALTER TABLE requests RENAME TO feedback_requests;
CREATE INDEX IF NOT EXISTS feedback_answer_id ON feedback (answer_id);
