"""Where per-user files live.

platformdirs gives each platform's convention (XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME on
Linux). One variable, KETINTERACT_HOME, moves all three under a single folder; every test points it at a
temporary directory so no test touches a real user's files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_VARIABLE = "KETINTERACT_HOME"
APP_NAME = "ketinteract"


@dataclass(frozen=True)
class UserPaths:
    data_dir: Path
    config_file: Path
    cache_dir: Path


def user_paths() -> UserPaths:
    home = os.environ.get(HOME_VARIABLE)
    if home:
        root = Path(home)
        return UserPaths(root / "data", root / "config.toml", root / "cache")
    import platformdirs  # deferred: only commands that touch user files pay for it

    return UserPaths(
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml",
        Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )


_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_table_path() -> Path:
    """The table shipped with this install.

    Wheels and sdists carry it inside the package (``ketinteract/data/``, force-included by the build);
    an editable install has no copy there, so fall back to ``data/`` at the root of the source checkout.
    """
    packaged = _PACKAGE_DIR / "data" / "interactions.json"
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent.parent / "data" / "interactions.json"
