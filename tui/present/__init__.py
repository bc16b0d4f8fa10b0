"""Core objects turned into the plain data that widgets draw. No I/O."""
