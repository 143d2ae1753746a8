"""State shared by the server's processes: feedback and the rate limit, in SQLite or PostgreSQL."""
