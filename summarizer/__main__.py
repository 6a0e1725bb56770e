"""``python -m summarizer``: the command line, for when the ``summarizer`` script is not on PATH."""

from summarizer.cli import main

if __name__ == "__main__":
    main()
