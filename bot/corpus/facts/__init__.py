"""Facts found at ingest: the document's own (number, issuer, dates, validity) and each sentence's typed
facts (amounts, caps, time limits, fees, departments…), always as verbatim spans of the source."""
