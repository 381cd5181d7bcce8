"""The read and operator tokens: taken from the environment, else kept in `NTX_HOME/tokens.json`."""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import orjson
from pydantic import SecretStr

from neurotradex.gateway.errors import OperationalError
from neurotradex.gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

AccessLevel = Literal["read", "operator"]
TOKEN_FILE_NAME = "tokens.json"  # noqa: S105 - a file name, not a secret
_FILE_MODE = 0o600
_HOME_MODE = 0o700


@dataclass(frozen=True, slots=True)
class ApiTokens:
    """The two bearer tokens the gateway accepts."""

    read: SecretStr
    operator: SecretStr

    def level_of(self, presented: str | None) -> AccessLevel | None:
        """Return what `presented` grants, comparing in constant time; None if nothing."""
        if not presented:
            return None
        given = presented.encode()
        is_operator = hmac.compare_digest(given, self.operator.get_secret_value().encode())
        is_read = hmac.compare_digest(given, self.read.get_secret_value().encode())
        if is_operator:
            return "operator"
        return "read" if is_read else None


@dataclass(frozen=True, slots=True)
class ResolvedTokens:
    """The tokens in force and, when any came from it, the file that holds them."""

    tokens: ApiTokens
    file: Path | None
    created: bool


def resolve_tokens(settings: GatewaySettings) -> ResolvedTokens:
    """Take tokens from the settings; fill the unset ones from (or into) the token file.

    Parameters
    ----------
    settings
        Gateway settings; `read_token`/`operator_token` come from `NTX_READ_TOKEN` /
        `NTX_OPERATOR_TOKEN` and win over the file.

    Returns
    -------
    ResolvedTokens
        The tokens, the file's path when it supplied one (so the CLI can say where to look;
        token values are never logged) and whether the file was created now.

    Raises
    ------
    OperationalError
        If the token file exists but cannot be read as a token file.
    """
    read, operator = settings.read_token, settings.operator_token
    if read is not None and operator is not None:
        return ResolvedTokens(ApiTokens(read, operator), None, created=False)
    path = settings.home / TOKEN_FILE_NAME
    created = not path.exists()
    stored = _generate(path) if created else _load(path)
    tokens = ApiTokens(read or stored.read, operator or stored.operator)
    if tokens.read.get_secret_value() == tokens.operator.get_secret_value():
        raise OperationalError(f"the read and operator tokens are equal; edit {path}")
    return ResolvedTokens(tokens, path, created=created)


def _generate(path: Path) -> ApiTokens:
    tokens = ApiTokens(SecretStr(secrets.token_urlsafe(32)), SecretStr(secrets.token_urlsafe(32)))
    body = {
        "read": tokens.read.get_secret_value(),
        "operator": tokens.operator.get_secret_value(),
    }
    path.parent.mkdir(mode=_HOME_MODE, parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
    os.fchmod(fd, _FILE_MODE)  # an older scratch file may have had a wider mode
    with os.fdopen(fd, "wb") as out:
        out.write(orjson.dumps(body, option=orjson.OPT_INDENT_2) + b"\n")
        out.flush()
        os.fsync(out.fileno())
    scratch.replace(path)
    log.info("generated the gateway's read and operator tokens into %s", path)
    return tokens


def _load(path: Path) -> ApiTokens:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("%s was readable by others (mode %o); restricting it to 0600", path, mode)
        path.chmod(_FILE_MODE)
    try:
        body = orjson.loads(path.read_bytes())
        read, operator = body["read"], body["operator"]
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise OperationalError(f"cannot read tokens from {path}: fix or delete it") from exc
    if not (isinstance(read, str) and isinstance(operator, str) and read and operator):
        raise OperationalError(f"{path} must hold non-empty 'read' and 'operator' strings")
    return ApiTokens(SecretStr(read), SecretStr(operator))
