"""Wire-format version; bump on every breaking change to any message."""

SCHEMA_VERSION = 1
