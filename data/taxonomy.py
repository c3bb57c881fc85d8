"""The framing taxonomy: the single source of truth for label names, order and definitions.

Everything that needs the label order (models, weak labels, gold files, reports) reads it from here,
so a change to ``taxonomy.json`` reaches the whole project at once.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.json")


@dataclass(frozen=True)
class Label:
    """One framing label: its name, what it means, its typical cues and what it is not."""

    name: str
    definition: str
    cues: tuple[str, ...]
    exclusions: tuple[str, ...]


@dataclass(frozen=True)
class DecisionRule:
    """A settled ruling for a recurring borderline case."""

    id: int
    title: str
    rule: str


@dataclass(frozen=True)
class WorkedExample:
    """A sentence with its labels, as given by the taxonomy."""

    text: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The labels in their fixed order, with decision rules and worked examples."""

    version: str
    unit: str
    labels: tuple[Label, ...]
    decision_rules: tuple[DecisionRule, ...]
    worked_examples: tuple[WorkedExample, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Label names in taxonomy order: the column order of every score matrix."""
        return tuple(label.name for label in self.labels)

    def index(self, name: str) -> int:
        """Column of ``name``; raises ``KeyError`` naming the known labels when it is unknown."""
        try:
            return self.names.index(name)
        except ValueError:
            raise KeyError(f"unknown label {name!r}; known labels: {', '.join(self.names)}") from None

    def to_dict(self) -> dict:
        """The JSON form, as stored in ``taxonomy.json`` and copied beside every saved model."""
        return {
            "version": self.version,
            "unit": self.unit,
            "labels": [
                {"name": l.name, "definition": l.definition, "cues": list(l.cues), "exclusions": list(l.exclusions)}
                for l in self.labels
            ],
            "decision_rules": [{"id": r.id, "title": r.title, "rule": r.rule} for r in self.decision_rules],
            "worked_examples": [{"text": e.text, "labels": list(e.labels)} for e in self.worked_examples],
        }


def parse_taxonomy(raw: dict) -> Taxonomy:
    """Build a :class:`Taxonomy` from its JSON form, checking that names are unique and examples use known labels."""
    labels = tuple(
        Label(l["name"], l["definition"], tuple(l.get("cues", ())), tuple(l.get("exclusions", ())))
        for l in raw["labels"]
    )
    names = [l.name for l in labels]
    if len(set(names)) != len(names):
        raise ValueError(f"taxonomy has duplicate label names: {names}")
    examples = tuple(WorkedExample(e["text"], tuple(e["labels"])) for e in raw.get("worked_examples", ()))
    for example in examples:
        unknown = set(example.labels) - set(names)
        if unknown:
            raise ValueError(f"worked example uses unknown labels {sorted(unknown)}: {example.text[:60]!r}")
    rules = tuple(DecisionRule(r["id"], r["title"], r["rule"]) for r in raw.get("decision_rules", ()))
    return Taxonomy(str(raw["version"]), raw.get("unit", ""), labels, rules, examples)


@lru_cache(maxsize=None)
def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read the taxonomy (the packaged one by default)."""
    source = Path(path) if path is not None else TAXONOMY_PATH
    return parse_taxonomy(json.loads(source.read_text(encoding="utf-8")))


LABELS: tuple[str, ...] = load_taxonomy().names
"""Label names in taxonomy order."""
