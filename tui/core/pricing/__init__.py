"""Prices: arithmetic (cost), precedence (lookup) and our own dated table."""
