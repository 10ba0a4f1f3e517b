#!/usr/bin/env bash
# Executes Kgent's notebooks headless (jupyter nbconvert --execute) and writes them with their outputs: notebooks/*.ipynb
# in the .NET Interactive kernel, their twins in notebooks/kgent-kernel/ in Kgent's native kernel (made from them first
# by scripts/twin-notebooks.py). With no options it regenerates every committed notebook in place.
#   scripts/notebooks.sh [--out DIR] [--portable] [--html] [--allow-errors] [NOTEBOOK.ipynb ...]
#     --out DIR        write the executed notebooks to DIR instead of over the originals
#     --portable       with --out, make the copies portable as the committed ones are (always so without --out)
#     --html           also render each executed notebook to HTML beside it
#     --allow-errors   keep going past a failing cell (the default stops at the first error and exits 1)
# Needs scripts/setup.sh to have run (the local feed, the kernel in .kgent/tools, the kernel spec in .kgent/jupyter).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"

out=""
html=0
portable=0
allow_errors=()
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --html) html=1; shift ;;
    --portable) portable=1; shift ;;
    --allow-errors) allow_errors=(--allow-errors); shift ;;
    -*) echo "notebooks: unknown option '$1' (known: --out DIR, --portable, --html, --allow-errors)" >&2; exit 2 ;;
    *) notebooks+=("$(readlink -f "$1")"); shift ;;
  esac
done
if [ "${#notebooks[@]}" -eq 0 ]; then
  python3 "$root/scripts/twin-notebooks.py"
  notebooks=("$root"/notebooks/*.ipynb "$root"/notebooks/kgent-kernel/*.ipynb)
fi

missing=()
command -v jupyter >/dev/null 2>&1 && jupyter nbconvert --version >/dev/null 2>&1 || missing+=("jupyter nbconvert (apt-get install -y jupyter-nbconvert python3-nbclient)")
[ -x "$root/.kgent/tools/dotnet-interactive" ] || missing+=("the .NET Interactive kernel (.kgent/tools/dotnet-interactive)")
[ -f "$root/.kgent/jupyter/kernels/.net-csharp/kernel.json" ] || missing+=("the kernel spec .kgent/jupyter/kernels/.net-csharp")
[ -f "$root/.kgent/jupyter/kernels/kgent/kernel.json" ] || missing+=("the kernel spec .kgent/jupyter/kernels/kgent")
[ -f "$root/.kgent/feed/Kgent.Extension.0.1.0.nupkg" ] || missing+=("the local feed .kgent/feed")
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'notebooks: missing %s\n' "${missing[@]}" >&2
  echo "notebooks: run scripts/setup.sh first" >&2
  exit 1
fi

export JUPYTER_PATH="$root/.kgent/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# Each notebook retrieves from a fresh example store (seeded with the dataset's train split on first use), never the
# machine's own: its outputs do not depend on what this machine synthesized before, or on the order notebooks run in.
stores="$(mktemp -d /tmp/kgent-notebook-stores-XXXXXX)"
trap 'rm -rf "$stores"' EXIT
status=0
for notebook in "${notebooks[@]}"; do
  name="$(basename "$notebook")"
  target="${out:-$(dirname "$notebook")}"
  # A twin (notebooks/kgent-kernel/) runs in the native kernel, and keeps a store of its own too.
  kernel=.net-csharp store="${name%.ipynb}"
  case "$notebook" in */kgent-kernel/*) kernel=kgent store="kgent-${name%.ipynb}" ;; esac
  export KGENT_EXAMPLES="$stores/$store.db"
  start=$(date +%s%N)
  # nbconvert runs the kernel in the notebook's own folder, so relative paths in cells mean the same in every run.
  if jupyter nbconvert --to notebook --execute "${allow_errors[@]}" \
      --ExecutePreprocessor.kernel_name="$kernel" --ExecutePreprocessor.timeout=600 \
      --output-dir "$target" --output "$name" "$notebook" >"$target/$name.log" 2>&1; then
    elapsed=$(( ($(date +%s%N) - start) / 100000000 ))
    echo "notebooks: $name executed in $((elapsed / 10)).$((elapsed % 10)) s -> $target/$name" >&2
    rm -f "$target/$name.log"
  else
    echo "notebooks: $name failed; the log is $target/$name.log:" >&2
    tail -n 30 "$target/$name.log" >&2
    status=1
    continue
  fi
  if [ -z "$out" ] || [ "$portable" = 1 ]; then
    # The committed copy is portable: no plotly.js bundle (3.6 MB; each chart keeps its static SVG, which is what a
    # viewer that runs no scripts shows anyway, and running the notebook inlines plotly.js again), and no paths of
    # this machine (the checkout becomes ".", the home folder "~").
    python3 - "$target/$name" "$root" "$HOME" <<'PY'
import json, re, sys
path, root, home = sys.argv[1:4]
bundle = re.compile(r"<script>/\*\*\s*\* plotly\.js v[0-9.]+.*?</script>", re.S)
note = "<script>/* plotly.js is inlined when the notebook runs; the committed copy keeps each chart's static SVG */</script>"
temporary = re.compile(r"/tmp/kgent-[A-Za-z0-9_-]+/")
# The .NET Interactive kernel names its page script's require.js context after its process id.
context = re.compile(r"'[0-9]+\.Microsoft\.DotNet\.Interactive\.Http\.HttpPort'")
def clean(text):
    if isinstance(text, list):
        text = "".join(text)
    text = context.sub("'kernel.Microsoft.DotNet.Interactive.Http.HttpPort'", temporary.sub("/tmp/kgent-…/", bundle.sub(note, text)))
    return text.replace(root + "/", "./").replace(root, ".").replace(home + "/", "~/")
with open(path, encoding="utf-8") as f:
    notebook = json.load(f)
for cell in notebook.get("cells", []):
    for output in cell.get("outputs", []):
        for key in ("data", ):
            for mime, value in list(output.get(key, {}).items()):
                if isinstance(value, (str, list)) and all(isinstance(v, str) for v in value):
                    output[key][mime] = clean(value)
        if isinstance(output.get("text"), (str, list)):
            output["text"] = clean(output["text"])
with open(path, "w", encoding="utf-8") as f:
    json.dump(notebook, f, indent=1, ensure_ascii=False)
    f.write("\n")
PY
  fi
  if [ "$html" = 1 ]; then
    jupyter nbconvert --to html --output-dir "$target" "$target/$name" >/dev/null 2>&1 \
      || { echo "notebooks: rendering $name to HTML failed" >&2; status=1; }
  fi
done
exit $status
