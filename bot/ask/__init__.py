"""How a question is read: the cues of what it asks for, as a table of patterns with example questions."""
