#!/usr/bin/env python3
"""Builds each addon's README.rst from its readme/*.md fragments.

The fragments are the source (DESCRIPTION, CONFIGURE, USAGE, ROADMAP,
CONTRIBUTORS, in that order); README.rst is what the Apps page, PyPI and
pylint-odoo read. ``--check`` fails when a README.rst is out of date.
"""

import argparse
import ast
import io
import re
import sys
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
SECTIONS = [
    ("DESCRIPTION", None),
    ("CONFIGURE", "Configuration"),
    ("USAGE", "Usage"),
    ("ROADMAP", "Known issues / Roadmap"),
    ("CONTRIBUTORS", "Contributors"),
]
UNDERLINES = {1: "=", 2: "-", 3: "~", 4: "^"}


def inline(text):
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", text)
    text = re.sub(r"(?<!`)`([^`]+)`(?!`|_)", r"``\1``", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"**\1**", text)


def md_to_rst(markdown, level_offset=1):
    out, in_code, in_table, indent = [], False, False, ""
    for line in markdown.splitlines():
        if line.lstrip().startswith("```"):
            if in_code:
                in_code = False
                out.append("")
            else:
                # A fence may sit inside a list item: keep its indentation.
                in_code = True
                indent = line[: len(line) - len(line.lstrip())]
                language = line.strip()[3:].strip()
                directive = f".. code-block:: {language}" if language else "::"
                out += [indent + directive, ""]
            continue
        if in_code:
            out.append(f"{indent}    {line[len(indent) :]}" if line.strip() else "")
            continue
        if line.startswith("|"):
            if not in_table:
                out += ["::", ""]
                in_table = True
            out.append(f"    {line}")
            continue
        if in_table:
            in_table = False
            out.append("")
        heading = re.match(r"^(#{1,4})\s+(.*)$", line)
        if heading:
            title = inline(heading.group(2))
            level = min(4, len(heading.group(1)) + level_offset)
            out += [title, UNDERLINES[level] * len(title)]
            continue
        out.append(inline(line))
    return "\n".join(out).strip() + "\n"


def rst_problems(content):
    """Warnings docutils gives, as Odoo's Apps page renders README.rst with it."""
    import docutils.core

    stream = io.StringIO()
    docutils.core.publish_string(
        content,
        writer_name="null",
        settings_overrides={"warning_stream": stream, "report_level": 2},
    )
    return stream.getvalue()


def build(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text())
    title = manifest["name"]
    parts = [
        "=" * len(title),
        title,
        "=" * len(title),
        "",
        f"*{manifest['summary']}*",
        "",
        f"Version {manifest['version']}, license {manifest['license']}, "
        f"depends on {', '.join(manifest['depends'])}.",
        "",
    ]
    for fragment, heading in SECTIONS:
        path = addon / "readme" / f"{fragment}.md"
        if not path.exists():
            continue
        if heading:
            parts += [heading, "=" * len(heading), ""]
        parts.append(md_to_rst(path.read_text()))
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale, broken = [], []
    for manifest in sorted(REPO_DIR.glob("crm_smb_*/__manifest__.py")):
        addon = manifest.parent
        target = addon / "README.rst"
        content = build(addon)
        if args.check:
            if not target.exists() or target.read_text() != content:
                stale.append(addon.name)
            problems = rst_problems(content)
            if problems:
                broken.append(f"{addon.name}:\n{problems}")
        else:
            target.write_text(content)
    if stale:
        sys.exit(f"README.rst out of date in {', '.join(stale)}: run setup/readme.py")


if __name__ == "__main__":
    main()
