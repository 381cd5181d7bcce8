"""Wire-format version; bump on every breaking change to any message."""

from typing import Final

SCHEMA_VERSION: Final = 1
