"""The spaCy layer: names, quotations and their speakers, found by code. The only stage that imports spaCy."""
