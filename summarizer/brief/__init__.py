"""One article in, one grounded brief out: the model's draft, its assembly, checks, long-article parts, the pipeline."""
