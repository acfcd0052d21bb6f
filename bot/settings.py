"""All tunables in one place: paths, server, credentials, limits and matching thresholds.

Values come from the environment (the Azure Bot settings use their Azure names) with
defaults that make a fresh checkout run locally. Nothing reads os.environ elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class MatchSettings:
    """Weights and thresholds for answer / clarify / fallback.

    Tuned on the tuning part of the dev set only (``benchmarks/matching.py --tune``); the
    held-back part is reported, never tuned on.
    """

    answer_threshold: float = 0.57  # calibrated top score needed to answer directly
    answer_margin: float = 0.08  # ...and its lead over the runner-up (combined signal)
    clarify_threshold: float = 0.42  # below this: fallback ("jag vet inte")
    max_suggestions: int = 3
    lone_term_max_entries: int = 3  # a one-word question asked in more entries than this: clarify
    follow_up_boost: float = 0.15  # added to the combined signal of the last answer's related entries
    # Weights of the combined signal (they sum to 1, so it stays in 0..1 before calibration).
    w_variant: float = 0.45  # best cosine with one question variant or the title
    variant_runner_up_share: float = 0.3  # the variant signal blends in the second-best variant this much
    w_bag: float = 0.0  # cosine with the whole entry (variants, title, answer)
    w_coverage: float = 0.10  # share of the question's IDF mass the entry knows
    w_fuzzy: float = 0.25  # rapidfuzz token-set similarity with the best variant
    w_bm25: float = 0.20  # BM25 over the whole entry, relative to the question's best entry
    # Calibration: score = 1 / (1 + exp(-(slope * combined + intercept))), fitted so that a
    # score of 0.8 means "about 8 in 10 such top answers are right" (Platt scaling on the
    # tuning part; benchmarks/matching.py prints the reliability table).
    calibration_slope: float = 9.41
    calibration_intercept: float = -5.071


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build with ``Settings.from_env()`` or directly in tests."""

    host: str = "127.0.0.1"
    port: int = 3978
    allow_remote: bool = False
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    tenant_id: str = ""
    knowledge_dir: Path = ROOT / "knowledge"
    dialogs_dir: Path = ROOT / "dialogs"
    state_path: Path | None = ROOT / "var" / "state.sqlite3"  # None: in-memory storage
    analytics_path: Path | None = ROOT / "var" / "analytics.sqlite3"  # None: don't record
    today: str | None = None  # ISO date pinning the clock (BOT_TODAY)
    max_body_bytes: int = 256 * 1024
    max_text_chars: int = 2000
    flow_idle_minutes: int = 120  # a guided flow left alone this long starts over
    seen_activity_ids: int = 20  # retried activities remembered per user
    match: MatchSettings = field(default_factory=MatchSettings)

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        base = cls()

        def path_or_none(name: str, default: Path | None) -> Path | None:
            raw = env.get(name)
            if raw is None:
                return default
            return None if raw.strip().lower() in ("", "none", "memory") else Path(raw)

        match = MatchSettings(
            answer_threshold=float(env.get("MATCH_ANSWER_THRESHOLD", base.match.answer_threshold)),
            answer_margin=float(env.get("MATCH_ANSWER_MARGIN", base.match.answer_margin)),
            clarify_threshold=float(env.get("MATCH_CLARIFY_THRESHOLD", base.match.clarify_threshold)),
        )
        return replace(
            base,
            host=env.get("HOST", base.host),
            port=int(env.get("PORT", base.port)),
            allow_remote=env.get("BOT_ALLOW_REMOTE", "").lower() in ("1", "true", "yes"),
            app_id=env.get("MicrosoftAppId", ""),
            app_password=env.get("MicrosoftAppPassword", ""),
            app_type=env.get("MicrosoftAppType", base.app_type) or base.app_type,
            tenant_id=env.get("MicrosoftAppTenantId", ""),
            knowledge_dir=Path(env.get("BOT_KNOWLEDGE_DIR", base.knowledge_dir)),
            dialogs_dir=Path(env.get("BOT_DIALOGS_DIR", base.dialogs_dir)),
            state_path=path_or_none("BOT_STATE_PATH", base.state_path),
            analytics_path=path_or_none("BOT_ANALYTICS_PATH", base.analytics_path),
            today=env.get("BOT_TODAY") or None,
            match=match,
        )
