"""Tests of the snapplan command line and of catalog files."""
