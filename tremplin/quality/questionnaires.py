"""The satisfaction questionnaires, shipped as a versioned TOML file beside this module.

``questionnaires/surveys.v<N>.toml`` holds the « à mi-parcours », « à chaud » and « à froid »
questions. An
invitation records the version it was sent with, so its answers are read against the same
questions after a new version ships. Questions are not stored in the database: a question's
code keeps its meaning for the life of a version.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .enums import QuestionKind, SurveyKind

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent / "questionnaires"
CURRENT_VERSION = "v1"


@dataclass(frozen=True)
class Question:
    code: str
    kind: str
    text: str

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionKind.SCALE


class QuestionnaireError(Exception):
    pass


@cache
def questionnaire(kind: str, version: str = CURRENT_VERSION) -> tuple[Question, ...]:
    """The questions of survey ``kind`` in ``version``, checked."""
    path = QUESTIONNAIRES_DIR / f"surveys.{version}.toml"
    with path.open("rb") as f:
        data = tomllib.load(f)
    if data.get("version") != version:
        raise QuestionnaireError(f"{path.name}: version {data.get('version')!r} ≠ {version!r}")
    if kind not in SurveyKind.values:
        raise QuestionnaireError(f"{path.name}: unknown survey kind {kind!r}")
    questions = tuple(
        Question(code=str(q["code"]), kind=str(q["kind"]), text=str(q["text"]))
        for q in data.get(kind, [])
    )
    codes = [q.code for q in questions]
    if not questions or len(set(codes)) != len(codes):
        raise QuestionnaireError(f"{path.name}: [{kind}] empty or with a repeated code")
    for q in questions:
        if q.kind not in QuestionKind.values or not q.text.strip():
            raise QuestionnaireError(f"{path.name}: [{kind}] {q.code}: bad kind or empty text")
    return questions
