"""The Teams app package: what an admin uploads, checked against Microsoft's own schema."""

import io
import json
import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.icons import BLUE, draw_color, draw_outline
from bot.package import DEV_APP_ID, MANIFEST_DIR, PackageError, build_package, main
from bot.reply import STATUS_CLARIFY, STATUS_FALLBACK
from bot.settings import ROOT, Settings

APP_ID = "5f0c2b1e-8a47-4f5e-9d63-2a1b7c9e4d10"
SCHEMAS = ROOT / "tests/playground/node_modules/@microsoft/app-manifest/build/json-schemas/teams"
TEMPLATE = json.loads((MANIFEST_DIR / "manifest.json").read_text(encoding="utf-8"))
COMMANDS = [
    "hjälp",
    "behörighet",
    "ändra behörighet",
    "avsluta behörighet",
    "chefskoppling",
    "ny rapportör",
    "avbryt",
]


def schema_for(version: str) -> dict:
    path = SCHEMAS / f"v{version}" / "MicrosoftTeams.schema.json"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} missing: CI must run scripts/setup (npm ci in tests/playground)")
        pytest.skip("npm packages not installed: run scripts/setup (npm ci in tests/playground)")
    return json.loads(path.read_text(encoding="utf-8"))


def built(tmp_path: Path, **kwargs) -> zipfile.ZipFile:
    return zipfile.ZipFile(build_package(Settings(app_id=APP_ID), tmp_path / "app.zip", **kwargs))


def test_the_package_holds_manifest_and_icons_at_the_root(tmp_path):
    with built(tmp_path) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID


def test_the_built_manifest_is_valid_against_the_official_schema(tmp_path):
    from jsonschema import Draft4Validator, FormatChecker

    with built(tmp_path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    version = manifest["manifestVersion"]
    assert version != "1.18", "Microsoft never published a 1.18 schema"
    assert tuple(map(int, version.split("."))) >= (1, 17)
    schema = schema_for(version)
    errors = [
        f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
        for e in Draft4Validator(schema, format_checker=FormatChecker()).iter_errors(manifest)
    ]
    assert errors == []
    # draft-04 has no "const": check the pinned manifestVersion and $schema ourselves.
    assert schema["properties"]["manifestVersion"].get("const") == version
    assert manifest["$schema"].endswith(f"/teams/v{version}/MicrosoftTeams.schema.json")


def test_the_schema_check_catches_a_broken_manifest():
    """The validation above can fail: a manifest without a bot id and a 40-char short name."""
    from jsonschema import Draft4Validator

    broken = json.loads(json.dumps(TEMPLATE))
    broken["id"] = APP_ID
    broken["name"]["short"] = "x" * 40
    del broken["bots"][0]["botId"]
    messages = [e.message for e in Draft4Validator(schema_for(broken["manifestVersion"])).iter_errors(broken)]
    assert any("botId" in m for m in messages) and any("too long" in m for m in messages)


def test_swedish_names_scopes_and_developer_links():
    assert TEMPLATE["name"]["short"] == "Löneservice-assistenten"
    assert TEMPLATE["localizationInfo"]["defaultLanguageTag"] == "sv-se"
    (bot,) = TEMPLATE["bots"]
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    developer = TEMPLATE["developer"]
    assert developer["name"] == "Västra Götalandsregionen"
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert developer[key].startswith("https://www.vgregion.se/")
    assert TEMPLATE["accentColor"] == "#{:02X}{:02X}{:02X}".format(*BLUE)  # the icon's background


def test_the_command_list_offers_the_main_commands_in_every_scope():
    (bot,) = TEMPLATE["bots"]
    lists = bot["commandLists"]
    assert sorted(s for cl in lists for s in cl["scopes"]) == ["groupChat", "personal", "team"]
    for command_list in lists:
        assert [c["title"] for c in command_list["commands"]] == COMMANDS
        for command in command_list["commands"]:
            assert command["description"][0].isupper() and len(command["description"]) <= 128


def test_every_listed_command_is_one_the_bot_really_handles():
    """User picks a command from Teams' command menu → the real assistant acts on it."""
    from bot.turn import TurnInput, build_assistant

    assistant = build_assistant(Settings(state_path=None, analytics_path=None))
    now = datetime(2026, 11, 23, 9, 0)

    def say(text: str, state: dict) -> tuple[str, dict, str]:
        result = assistant.handle(TurnInput(text=text, value=None, today=date(2026, 11, 23), now=now), state)
        return result.reply.status, result.state, result.reply.all_text()

    started = {}
    for command in COMMANDS:
        status, state, text = say(command, {})
        assert status not in (STATUS_FALLBACK, STATUS_CLARIFY), f"{command!r} → {status}: {text[:200]}"
        assert text.strip()
        if state.get("flow"):
            started[command] = state["flow"]["flow"]
    # The five guide commands each start their own guide.
    guides = ["behörighet", "ändra behörighet", "avsluta behörighet", "chefskoppling", "ny rapportör"]
    assert sorted(started) == sorted(guides) and len(set(started.values())) == len(guides), started
    # "avbryt" matters inside a guide: it must end the guide that "behörighet" started.
    _, state, _ = say("behörighet", {})
    assert state.get("flow"), "'behörighet' should start a guided flow"
    status, state, _ = say("avbryt", state)
    assert status not in (STATUS_FALLBACK, STATUS_CLARIFY) and not state.get("flow")


def test_icons_have_teams_sizes_and_the_outline_is_white_on_transparent(tmp_path):
    with built(tmp_path) as zf:
        color = Image.open(io.BytesIO(zf.read("color.png")))
        outline = Image.open(io.BytesIO(zf.read("outline.png")))
    assert (color.format, color.size) == ("PNG", (192, 192))
    assert color.mode in ("RGB", "RGBA")
    assert color.convert("RGBA").getextrema()[3][0] == 255, "the colour icon is fully opaque"
    assert len(set(pixels_of(color.convert("RGB")))) > 50, "a drawing, not a flat square"
    assert_white_on_transparent(outline)


def pixels_of(img: Image.Image) -> list[tuple[int, ...]]:
    data, n = img.tobytes(), len(img.getbands())
    return [tuple(data[i : i + n]) for i in range(0, len(data), n)]


def assert_white_on_transparent(outline: Image.Image) -> None:
    assert (outline.format or "PNG", outline.size, outline.mode) == ("PNG", (32, 32), "RGBA")
    pixels = pixels_of(outline)
    assert all(a == 0 or (r, g, b) == (255, 255, 255) for r, g, b, a in pixels), "only white and transparent"
    opaque = sum(a > 128 for *_, a in pixels)
    assert 100 < opaque < 32 * 32 - 300, "a visible symbol with a transparent background"


def test_the_icon_generator_draws_what_teams_accepts():
    assert draw_color().size == (192, 192)
    outline = draw_outline()
    buf = io.BytesIO()
    outline.save(buf, "PNG")
    assert_white_on_transparent(Image.open(io.BytesIO(buf.getvalue())))


def test_without_an_app_id_only_a_dev_package_is_built(tmp_path):
    with pytest.raises(PackageError, match="MicrosoftAppId är inte satt.*--dev"):
        build_package(Settings(app_id=""), tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()
    path = build_package(Settings(app_id=""), tmp_path / "app.zip", dev=True)
    manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
    assert manifest["id"] == manifest["bots"][0]["botId"] == DEV_APP_ID


def test_a_malformed_app_id_is_refused(tmp_path):
    with pytest.raises(PackageError, match="inget giltigt app-id"):
        build_package(Settings(app_id="min-bot"), tmp_path / "app.zip")


def test_the_same_input_gives_the_same_zip(tmp_path):
    first = build_package(Settings(app_id=APP_ID), tmp_path / "a.zip").read_bytes()
    assert build_package(Settings(app_id=APP_ID), tmp_path / "b.zip").read_bytes() == first


def test_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MicrosoftAppId", raising=False)
    assert main(["--out", str(tmp_path / "x.zip")]) == 2
    assert "MicrosoftAppId är inte satt" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "x.zip"), "--dev"]) == 0
    assert "platshållar-id" in capsys.readouterr().out
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    assert main(["--out", str(tmp_path)]) == 0  # a directory: the default file name inside it
    assert f"app-id {APP_ID}" in capsys.readouterr().out
    assert (tmp_path / "loneservice-assistenten.zip").is_file()
    assert main(["--out", str(tmp_path / "new-folder")]) == 0  # not there yet: still a folder
    assert (tmp_path / "new-folder" / "loneservice-assistenten.zip").is_file()
