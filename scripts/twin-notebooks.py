#!/usr/bin/env python3
"""Writes the twin of each .NET Interactive notebook for Kgent's native Jupyter kernel (kernel spec "kgent").

notebooks/NN-name.ipynb is the one source; notebooks/kgent-kernel/NN-name.ipynb is made from it: the same markdown and
the same #!kgent cells (outputs cleared, to be filled by running it), without the cell that loads the .NET Interactive
extension, and with each C# cell shown as a code block in markdown (the native kernel runs only #!kgent cells).
scripts/notebooks.sh runs this before executing the twins; `--check` only reports twins that differ from their source.
Usage: twin-notebooks.py [--check] [SOURCE.ipynb ...]   (default: every notebooks/*.ipynb)
"""
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TWINS = os.path.join(ROOT, "notebooks", "kgent-kernel")
KERNELSPEC = {"name": "kgent", "display_name": "Kgent", "language": "kgent"}
LANGUAGE = {"name": "kgent", "mimetype": "text/x-kgent", "file_extension": ".kgent", "pygments_lexer": "c", "codemirror_mode": "text/x-csrc"}


def text(source):
    return "".join(source) if isinstance(source, list) else source


def lines(value):
    parts = value.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def twin(source_path):
    with open(source_path, encoding="utf-8") as f:
        notebook = json.load(f)
    name = os.path.basename(source_path)
    cells = []
    for cell in notebook["cells"]:
        body = text(cell["source"])
        if cell["cell_type"] == "markdown":
            cells.append({"cell_type": "markdown", "id": cell.get("id"), "metadata": {}, "source": lines(body)})
        elif body.lstrip().startswith("#r "):
            continue
        elif body.lstrip().startswith("#!kgent"):
            cells.append({"cell_type": "code", "execution_count": None, "id": cell.get("id"), "metadata": {}, "outputs": [], "source": lines(body)})
        else:
            note = ("In the .NET Interactive notebook (`../" + name + "`) a C# cell reads the session's results here; "
                    "the native kernel runs only `#!kgent` cells:\n\n```csharp\n" + body.rstrip("\n") + "\n```")
            cells.append({"cell_type": "markdown", "id": cell.get("id"), "metadata": {}, "source": lines(note)})
    header = ("*The twin of [`../" + name + "`](../" + name + ") for Kgent's native Jupyter kernel (**Kgent**): the same "
              "`#!kgent` cells without .NET Interactive; nothing to load first. Made from that notebook by "
              "`scripts/twin-notebooks.py`; edit the original.*")
    cells.insert(0, {"cell_type": "markdown", "id": "twin-note", "metadata": {}, "source": lines(header)})
    return {"cells": cells, "metadata": {"kernelspec": KERNELSPEC, "language_info": LANGUAGE}, "nbformat": 4, "nbformat_minor": 5}


def sources_of(notebook):
    return [(c["cell_type"], text(c["source"])) for c in notebook["cells"]]


def main(arguments):
    check = "--check" in arguments
    sources = [a for a in arguments if a != "--check"] or sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
    os.makedirs(TWINS, exist_ok=True)
    stale = []
    for source in sources:
        made = twin(source)
        target = os.path.join(TWINS, os.path.basename(source))
        existing = None
        if os.path.exists(target):
            with open(target, encoding="utf-8") as f:
                existing = json.load(f)
        if existing is not None and sources_of(existing) == sources_of(made) and existing["metadata"].get("kernelspec") == KERNELSPEC:
            continue
        stale.append(target)
        if not check:
            temporary = target + ".new"
            with open(temporary, "w", encoding="utf-8") as f:
                json.dump(made, f, indent=1, ensure_ascii=False)
                f.write("\n")
            os.replace(temporary, target)
    for path in stale:
        print(("stale: " if check else "wrote ") + os.path.relpath(path, ROOT), file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
