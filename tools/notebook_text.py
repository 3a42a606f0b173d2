#!/usr/bin/python3
"""Converts a notebook to and from a plain-text "percent" script, so notebooks can be written and
reviewed as text instead of JSON. The text form is TypeScript with cell markers:

    // %% [markdown]
    // # A title
    // Some text with $\\LaTeX$.

    // %%
    const x = 1;

Usage:
    /usr/bin/python3 tools/notebook_text.py to-ipynb SCRIPT.ts NOTEBOOK.ipynb
    /usr/bin/python3 tools/notebook_text.py to-text NOTEBOOK.ipynb SCRIPT.ts

`to-ipynb` keeps the outputs of an existing NOTEBOOK.ipynb for cells whose source is unchanged
(run tools/run_notebook.py afterwards to refresh them); `to-text` drops outputs. Only cell sources
travel; the text form is a working copy (keep it in /tmp), the .ipynb is what is committed.
"""

import os
import sys

import nbformat

MARKDOWN = "// %% [markdown]"
CODE = "// %%"


def to_cells(text: str) -> list:
    cells, kind, lines = [], None, []

    def flush():
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(line[3:] if line.startswith("// ") else line.lstrip("/")
                             for line in body.split("\n"))
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif kind == "code":
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.split("\n"):
        if line.strip() in (MARKDOWN, CODE):
            flush()
            kind, lines = ("markdown" if line.strip() == MARKDOWN else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def to_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            body = "\n".join(("// " + line).rstrip() for line in cell.source.split("\n"))
            parts.append(f"{MARKDOWN}\n{body}\n")
        elif cell.cell_type == "code":
            parts.append(f"{CODE}\n{cell.source}\n")
    return "\n".join(parts)


def main(argv: list) -> int:
    if len(argv) != 4 or argv[1] not in ("to-ipynb", "to-text"):
        print(__doc__, file=sys.stderr)
        return 2
    command, source, target = argv[1:]
    if command == "to-text":
        with open(target, "w", encoding="utf-8") as file:
            file.write(to_text(nbformat.read(source, as_version=4)))
        return 0
    with open(source, encoding="utf-8") as file:
        cells = to_cells(file.read())
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {"name": "deno", "display_name": "Deno", "language": "typescript"},
        "language_info": {"name": "typescript", "file_extension": ".ts",
                          "mimetype": "text/x.typescript", "codemirror_mode": "typescript",
                          "nbconvert_exporter": "script", "pygments_lexer": "typescript"},
    }
    if os.path.exists(target):
        old = {cell.source: cell for cell in nbformat.read(target, as_version=4).cells
               if cell.cell_type == "code"}
        for cell in cells:
            if cell.cell_type == "code" and cell.source in old:
                cell.outputs = old[cell.source].outputs
                cell.execution_count = old[cell.source].execution_count
    notebook.cells = cells
    for cell in notebook.cells:
        cell.pop("id", None)  # ids change on every conversion; without them diffs stay small
    notebook.nbformat_minor = 4  # cell ids are optional before 4.5
    with open(target, "w", encoding="utf-8") as file:
        nbformat.write(notebook, file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
