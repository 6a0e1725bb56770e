"""Articles and how they are read: the ``Article`` contract, page debris and metadata, files/directories/JSONL/HTML."""
