"""Reports for machines: one JSON document, SARIF 2.1.0, GitHub workflow annotations.

All three are built from the same ``FileResult`` values and ``Change`` positions
(1-based lines and code-point columns in the *original* text), so they always agree.

The JSON document (``--format json``), version 1::

    {
      "version": 1,                       # of this document's layout
      "tool": {"name": "mojifix", "version": "0.1.0"},
      "mode": "check",                    # show | diff | check | write | filter
      "min_confidence": 0.5,
      "files": [{
        "path": "docs/a.txt",
        "status": "needs-repair",         # unchanged | needs-repair | repaired | skipped | error
        "encoding": "gbk", "bom": false,
        "newline": "crlf",                # lf | crlf | cr | mixed | null (no line break)
        "message": null,                  # why it was skipped or failed; or "converted to UTF-8"
        "changes": [{
          "line": 3, "column": 7, "end_line": 3, "end_column": 10,   # end is exclusive
          "original": "鈥檚", "fixed": "’s",
          "chain": [["utf-8", "gbk"]],    # innermost mis-decoding first
          "explanation": "utf-8 read as gbk",
          "confidence": 0.97,
          "applied": true,                # false: below --min-confidence, reported only
          "guessed": [{"offset": 0, "text": "”", "confidence": 0.8,
                       "alternatives": [["’", 0.1]]}],  # offset into "fixed"
          "notes": []
        }]
      }],
      "summary": {"files": 1, "changed": 1, "unchanged": 0, "skipped": 0, "errors": 0,
                  "uncertain": 0, "exit_code": 1, "text": "1 file would be repaired."}
    }
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..report import FileResult, Mode, Report, Status
from .positions import Change, changes_of
from .visible import visible

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def status_name(result: FileResult, mode: Mode) -> str:
    """The ``status`` field: what happened to the file, in the run's terms."""
    if result.status is Status.CHANGED:
        return "repaired" if result.written or mode is Mode.FILTER else "needs-repair"
    return str(result.status.value)


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "line": change.line,
        "column": change.column,
        "end_line": change.end_line,
        "end_column": change.end_column,
        "original": change.original,
        "fixed": change.fixed,
        "chain": [list(layer) for layer in change.chain],
        "explanation": change.explanation,
        "confidence": round(change.confidence, 4),
        "applied": change.applied,
        "guessed": [
            {
                "offset": g.offset,
                "text": g.text,
                "confidence": round(g.confidence, 4),
                "alternatives": [[t, round(p, 4)] for t, p in g.alternatives],
            }
            for g in change.guessed
        ],
        "notes": list(change.notes),
    }


def json_document(
    results: Sequence[FileResult], report: Report, *, min_confidence: float
) -> dict[str, Any]:
    """The whole run as one JSON-ready dict (layout in the module docstring)."""
    return {
        "version": JSON_VERSION,
        "tool": {"name": "mojifix", "version": __version__},
        "mode": report.mode.value,
        "min_confidence": min_confidence,
        "files": [
            {
                "path": result.path,
                "status": status_name(result, report.mode),
                "encoding": result.encoding,
                "bom": result.bom,
                "newline": result.newline,
                "message": result.message,
                "changes": [_change_json(c) for c in changes_of(result.repair)],
            }
            for result in results
        ],
        "summary": {
            "files": report.total,
            "changed": report.changed,
            "unchanged": report.unchanged,
            "skipped": report.skipped,
            "errors": report.failed,
            "uncertain": report.uncertain,
            "exit_code": report.exit_code,
            "text": report.summary(),
        },
    }


def render_json(results: Sequence[FileResult], report: Report, *, min_confidence: float) -> str:
    """``json_document`` as text, UTF-8 characters kept readable."""
    document = json_document(results, report, min_confidence=min_confidence)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# -- SARIF ----------------------------------------------------------------------------


def artifact_uri(path: str) -> str:
    """A SARIF ``artifactLocation.uri``: a relative URI reference with ``/``, or file://.

    >>> artifact_uri("docs/my file.txt")
    'docs/my%20file.txt'
    """
    posix = PurePath(path).as_posix() if os.sep == "\\" else path
    if os.path.isabs(path):
        return PurePath(os.path.abspath(path)).as_uri()
    return quote(posix, safe="/")


def _rule_description(change: Change) -> str:
    if not change.chain:
        return "Text damaged by a wrong decoding"
    layers = ", then ".join(f"{w} text decoded as {r}" for w, r in change.chain)
    return layers[0].upper() + layers[1:]


def _region(change: Change) -> dict[str, Any]:
    return {
        "startLine": change.line,
        "startColumn": change.column,
        "endLine": change.end_line,
        "endColumn": change.end_column,
    }


def _message(change: Change) -> str:
    text = f'"{change.original}" should be "{change.fixed}" ({change.explanation}, '
    text += f"confidence {change.confidence:.2f})"
    if change.guessed:
        text += f"; {len(change.guessed)} lost character(s) guessed"
    if not change.applied:
        text += "; not applied: below the confidence threshold"
    return text


def sarif_document(results: Sequence[FileResult], report: Report) -> dict[str, Any]:
    """A SARIF 2.1.0 log with one run; a rule per decoding chain, a fix per repair."""
    rules: dict[str, dict[str, Any]] = {}
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for result in results:
        uri = artifact_uri(result.path)
        if result.status is Status.FAILED:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"cannot repair {result.path}: {result.message}"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                }
            )
        for change in changes_of(result.repair):
            rule_id = change.rule_id
            if rule_id not in rules:
                description = _rule_description(change)
                rules[rule_id] = {
                    "id": rule_id,
                    "name": "Mojibake",
                    "shortDescription": {"text": description},
                    "help": {
                        "text": "Repair with `mojifix --write FILE`; "
                        "`mojifix --explain FILE` shows each repair and its confidence."
                    },
                    "defaultConfiguration": {"level": "warning"},
                }
            entry: dict[str, Any] = {
                "ruleId": rule_id,
                "ruleIndex": list(rules).index(rule_id),
                "level": "warning" if change.applied else "note",
                "message": {"text": _message(change)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri},
                            "region": {**_region(change), "snippet": {"text": change.original}},
                        }
                    }
                ],
                "properties": {
                    "confidence": round(change.confidence, 4),
                    "applied": change.applied,
                    "guessed": [g.text for g in change.guessed],
                },
            }
            if change.applied:
                entry["fixes"] = [
                    {
                        "description": {"text": f"Replace with the repaired text ({change.explanation})"},
                        "artifactChanges": [
                            {
                                "artifactLocation": {"uri": uri},
                                "replacements": [
                                    {
                                        "deletedRegion": _region(change),
                                        "insertedContent": {"text": change.fixed},
                                    }
                                ],
                            }
                        ],
                    }
                ]
            sarif_results.append(entry)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mojifix",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "invocations": [
                    {
                        "executionSuccessful": report.failed == 0 and not report.interrupted,
                        "exitCode": report.exit_code,
                        "toolExecutionNotifications": notifications,
                    }
                ],
            }
        ],
    }


def render_sarif(results: Sequence[FileResult], report: Report) -> str:
    return json.dumps(sarif_document(results, report), ensure_ascii=False, indent=2) + "\n"


# -- GitHub Actions -------------------------------------------------------------------


def escape_data(text: str) -> str:
    """Escape an annotation message the way @actions/core does.

    >>> escape_data("50% off\\r\\nnext")
    '50%25 off%0D%0Anext'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation property value (also ``:`` and ``,``).

    >>> escape_property("a,b:c")
    'a%2Cb%3Ac'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(path: str) -> str:
    """A path as GitHub wants it: relative to ``$GITHUB_WORKSPACE`` (or here), with ``/``."""
    if os.path.isabs(path):
        base = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
        relative = os.path.relpath(path, base)
        if not relative.startswith(".."):
            path = relative
    return PurePath(path).as_posix()


def github_annotation(path: str, change: Change) -> str:
    """One ``::warning`` line (``::notice`` for a repair that was not applied).

    Columns are 1-based; ``endColumn`` is the column of the last changed character.
    GitHub accepts columns only on one-line annotations, so a repair spanning lines
    gets ``endLine`` instead.
    """
    level = "warning" if change.applied else "notice"
    properties = [("file", workspace_path(path)), ("line", str(change.line))]
    if change.end_line == change.line:
        last = max(change.column, change.end_column - 1)
        properties += [("col", str(change.column)), ("endColumn", str(last))]
    else:
        properties += [("endLine", str(change.end_line))]
    properties.append(("title", f"mojibake ({change.explanation})"))
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = f'"{visible(change.original)}" → "{visible(change.fixed)}"'
    message += f" (confidence {change.confidence:.2f}"
    if change.guessed:
        message += f", {len(change.guessed)} guessed"
    message += ")" if change.applied else "; not applied: below the confidence threshold)"
    return f"::{level} {props}::{escape_data(message)}"


def render_github(results: Sequence[FileResult]) -> str:
    """Every change as a workflow annotation, plus an ``::error`` per failed file."""
    lines: list[str] = []
    for result in results:
        if result.status is Status.FAILED:
            lines.append(
                f"::error file={escape_property(workspace_path(result.path))},"
                f"title=mojifix::{escape_data(f'cannot repair: {result.message}')}"
            )
        for change in changes_of(result.repair):
            lines.append(github_annotation(result.path, change))
    return "".join(line + "\n" for line in lines)
