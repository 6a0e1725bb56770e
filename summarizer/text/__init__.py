"""Pure functions on strings: sentences, matching, dates, injected instructions. Imports nothing else of the package."""
