-- (SQLite's 0002 renames its old table; here 0001 already made it under its name.)
CREATE INDEX IF NOT EXISTS feedback_answer_id ON feedback (answer_id);
