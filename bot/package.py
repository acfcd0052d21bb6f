"""Builds the Teams app package: the zip an admin uploads in Teams Admin Center.

The package holds manifest.json, color.png and outline.png at the zip root. The manifest
in manifest/ is a template: everything a user reads (names, descriptions, commands,
developer links) lives there, and only the ids are filled in here, from MicrosoftAppId,
so the package always matches the bot registration it talks to.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

from bot.settings import ROOT, Settings

MANIFEST_DIR = ROOT / "manifest"
DEFAULT_OUT = ROOT / "build" / "loneservice-assistenten.zip"
PLACEHOLDER = "{{MicrosoftAppId}}"
# A syntactically valid id for local trials (Playground, schema checks); Teams will not
# route messages for it, which is the point: a real package needs the real registration.
DEV_APP_ID = "00000000-0000-0000-0000-000000000000"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
# A fixed timestamp makes the zip byte-identical for identical input.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)


class PackageError(Exception):
    """A problem the person building the package can fix; the message says how."""


def load_template(manifest_dir: Path = MANIFEST_DIR) -> dict[str, Any]:
    path = manifest_dir / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageError(f"{path} saknas.") from None
    except json.JSONDecodeError as exc:
        raise PackageError(f"{path}:{exc.lineno}: ogiltig JSON: {exc.msg}") from None


def render_manifest(template: dict[str, Any], app_id: str) -> dict[str, Any]:
    """The template with the app id and every bot id set to ``app_id``."""
    if not _GUID.match(app_id):
        raise PackageError(
            f"MicrosoftAppId '{app_id}' är inget giltigt app-id (GUID som "
            "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Kopiera det från Azure Bot-resursen."
        )
    manifest = json.loads(json.dumps(template))  # a deep copy
    manifest["id"] = app_id
    for bot in manifest.get("bots", []):
        bot["botId"] = app_id
    if PLACEHOLDER in json.dumps(manifest):
        raise PackageError(f"manifest.json har fortfarande {PLACEHOLDER} på ett ställe som inte är id/botId.")
    return manifest


def build_package(
    settings: Settings, out: Path | None = None, *, dev: bool = False, manifest_dir: Path = MANIFEST_DIR
) -> Path:
    """Write the app zip and return its path. ``out`` is a .zip path or a folder for it.
    Without MicrosoftAppId only ``dev=True`` builds, with a placeholder id that is
    useless in a real tenant."""
    app_id = settings.app_id.strip()
    if not app_id:
        if not dev:
            raise PackageError(
                "MicrosoftAppId är inte satt. Sätt miljövariabeln MicrosoftAppId till Azure Bot-resursens "
                "app-id och kör igen, eller bygg ett testpaket med --dev (platshållar-id "
                f"{DEV_APP_ID}, fungerar inte i Teams)."
            )
        app_id = DEV_APP_ID
    manifest = render_manifest(load_template(manifest_dir), app_id)
    missing = [name for name in ICONS if not (manifest_dir / name).is_file()]
    if missing:
        raise PackageError(
            f"Ikon saknas i {manifest_dir}: {', '.join(missing)} (skapa med python -m bot.icons)."
        )

    out = Path(out) if out is not None else DEFAULT_OUT
    if out.is_dir() or out.suffix.lower() != ".zip":  # a folder, existing or not
        out = out / DEFAULT_OUT.name
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            _add(zf, "manifest.json", (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode())
            for name in ICONS:
                _add(zf, name, (manifest_dir / name).read_bytes())
        tmp.replace(out)
    except OSError as exc:
        raise PackageError(f"Kan inte skriva {out}: {exc.strerror or exc}") from None
    return out


def _add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def main(argv: list[str] | None = None) -> int:
    """``python -m bot package [--out PATH] [--dev]``"""
    parser = argparse.ArgumentParser(prog="python -m bot package", description="Bygg Teams-apppaketet (zip).")
    parser.add_argument(
        "--out", type=Path, help=f"zip-filens sökväg (standard {DEFAULT_OUT.relative_to(ROOT)})"
    )
    parser.add_argument(
        "--dev", action="store_true", help=f"tillåt platshållar-id {DEV_APP_ID} om MicrosoftAppId saknas"
    )
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    try:
        path = build_package(settings, args.out, dev=args.dev)
    except PackageError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return 2
    app_id = settings.app_id.strip() or DEV_APP_ID
    note = " (testpaket med platshållar-id – fungerar inte i Teams)" if not settings.app_id.strip() else ""
    print(f"Skapade {path} för app-id {app_id}{note}.")
    print(
        "Ladda upp den i Teams Admin Center (Hantera appar → Ladda upp) eller i Teams (Appar → Hantera dina appar)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
