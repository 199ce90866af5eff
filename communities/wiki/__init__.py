"""Community wiki: co-edited best-practice pages with history and diffs."""
