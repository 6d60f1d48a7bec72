"""claimcheck: find where news sources agree and disagree on the facts of one story."""

__version__ = "0.1.0"
