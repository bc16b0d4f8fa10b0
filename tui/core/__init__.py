"""Everything that works without Textual: config, keys, store, sessions, exchanges, money."""
