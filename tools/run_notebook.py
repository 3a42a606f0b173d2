#!/usr/bin/python3
"""Executes Jupyter notebooks top to bottom in a fresh Deno kernel and writes their outputs back.

Usage:
    /usr/bin/python3 tools/run_notebook.py NOTEBOOK.ipynb [MORE.ipynb ...]
    /usr/bin/python3 tools/run_notebook.py NOTEBOOK.ipynb --output OUT.ipynb
    /usr/bin/python3 tools/run_notebook.py --check NOTEBOOK.ipynb   # execute, write nothing

Why not `jupyter nbconvert --execute`: the Deno kernel often sends a cell's last outputs (console
lines, displays, even the result value) after it has reported `idle`, and nbconvert then loses them
or files them under the next cell. Here every message is filed under the cell whose request it
answers (its parent msg_id), and after `idle` the runner keeps draining iopub until the kernel has
been quiet for --settle seconds before it sends the next cell.

Exits 0 when every cell ran; 1 with one clear message naming the notebook and the cell when a cell
raised, timed out or the kernel died (the notebook file is then left untouched); 2 for bad usage
or when Jupyter or the Deno kernel is missing. Needs Debian's Jupyter (python3-nbclient,
jupyter-client) and the kernel registered with `deno task kernel`.
"""

import argparse
import os
import queue
import sys
import tempfile
import time

try:
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from jupyter_client.manager import KernelManager
except ImportError as error:  # pragma: no cover - depends on the machine
    sys.exit(
        f"run_notebook: error: {error}: install Jupyter with "
        "`apt-get install python3-nbclient jupyter-client` and run it with /usr/bin/python3"
    )


class CellFailure(Exception):
    """A cell raised, timed out, or the kernel died while it ran."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", help="the .ipynb files to execute, in order")
    parser.add_argument("--output", help="write the executed notebook here (one notebook only)")
    parser.add_argument("--check", action="store_true", help="execute but write nothing")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per cell (300)")
    parser.add_argument(
        "--settle", type=float, default=0.5,
        help="seconds of iopub silence after idle before the next cell (0.5)")
    parser.add_argument("--kernel", default="deno", help="kernel name (deno)")
    args = parser.parse_args()
    if args.output and len(args.notebooks) != 1:
        parser.error("--output takes exactly one notebook")
    for path in args.notebooks:
        if not os.path.isfile(path):
            parser.error(f"{path}: no such notebook")
    for path in args.notebooks:
        started = time.monotonic()
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as error:  # nbformat raises several unrelated types for bad JSON
            print(f"run_notebook: {path}: not a readable notebook: {error}", file=sys.stderr)
            return 1
        try:
            execute(notebook, path, args)
        except NoSuchKernel:
            print(
                f"run_notebook: error: no Jupyter kernel named '{args.kernel}': "
                "register it with `deno task kernel` (deno jupyter --install --force)",
                file=sys.stderr)
            return 2
        except CellFailure as failure:
            print(f"run_notebook: {failure}", file=sys.stderr)
            return 1
        if not args.check:
            write_atomically(notebook, args.output or path)
        print(f"{path}: {count_code_cells(notebook)} code cells ran in "
              f"{time.monotonic() - started:.1f} s", file=sys.stderr)
    return 0


def execute(notebook, path: str, args) -> None:
    """Runs every code cell of `notebook` in a new kernel started in the notebook's folder (so
    `../lib/` imports resolve as in an editor), replacing the cells' outputs in place."""
    env = dict(os.environ, NO_COLOR="1")
    # The same V8 setting as the deno tasks: Maglev can make the numeric loops 7x slower.
    env["DENO_V8_FLAGS"] = " ".join(filter(None, [env.get("DENO_V8_FLAGS"), "--no-maglev"]))
    manager = KernelManager(kernel_name=args.kernel)
    manager.start_kernel(cwd=os.path.dirname(os.path.abspath(path)), env=env)
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        record_kernel(notebook, manager, client)
        cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        by_display_id = {}
        for number, cell in enumerate(cells, start=1):
            run_cell(client, manager, cell, f"{path}: code cell {number}", by_display_id, args)
    except RuntimeError as error:  # wait_for_ready: the kernel died or never answered
        raise CellFailure(f"{path}: the kernel did not start: {error}") from error
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=False)


def record_kernel(notebook, manager, client) -> None:
    """Writes the metadata a frontend writes when it connects to the kernel: its kernelspec and
    the language_info of its kernel_info_reply (the Deno kernel reports the TypeScript version).
    A notebook saved without them is marked modified as soon as JupyterLab opens it."""
    spec = manager.kernel_spec
    notebook.metadata["kernelspec"] = {
        "display_name": spec.display_name, "language": spec.language, "name": manager.kernel_name}
    msg_id = client.kernel_info()
    reply = shell_reply(client, msg_id)
    if "language_info" in reply:
        notebook.metadata["language_info"] = reply["language_info"]


def run_cell(client, manager, cell, where: str, by_display_id: dict, args) -> None:
    """Sends one cell, collects its outputs until the kernel is idle and then quiet."""
    cell.outputs = []
    cell.execution_count = None
    cell.metadata.pop("execution", None)
    msg_id = client.execute(cell.source, store_history=True, allow_stdin=False)
    deadline = time.monotonic() + args.timeout
    idle_at = None
    pending_clear = False
    while True:
        now = time.monotonic()
        if idle_at is None and now > deadline:
            manager.interrupt_kernel()
            raise CellFailure(f"{where} timed out after {args.timeout:g} s:\n{excerpt(cell)}")
        if idle_at is not None and now - idle_at >= args.settle:
            break
        try:
            wait = args.settle if idle_at is not None else min(1.0, deadline - now)
            message = client.get_iopub_msg(timeout=max(wait, 0.01))
        except queue.Empty:
            if idle_at is None and not manager.is_alive():
                raise CellFailure(f"{where}: the kernel died while running:\n{excerpt(cell)}")
            continue
        if message["parent_header"].get("msg_id") != msg_id:
            continue  # stray output of an earlier request; cannot belong to this cell
        kind, content = message["msg_type"], message["content"]
        if idle_at is not None:
            idle_at = time.monotonic()  # a late output: keep draining until quiet again
        if kind == "status":
            if content["execution_state"] == "idle":
                idle_at = time.monotonic()
        elif kind == "execute_input":
            cell.execution_count = content.get("execution_count")
        elif kind == "clear_output":
            if content.get("wait"):
                pending_clear = True
            else:
                cell.outputs = []
        elif kind == "update_display_data":
            for output in by_display_id.get(content.get("transient", {}).get("display_id"), []):
                output.data = content["data"]
                output.metadata = content.get("metadata", {})
        elif kind in ("stream", "display_data", "execute_result", "error"):
            if pending_clear:
                cell.outputs, pending_clear = [], False
            add_output(cell, message, by_display_id)
    failure = next((out for out in cell.outputs if out.output_type == "error"), None)
    if failure is not None:
        trace = strip_ansi("\n".join(failure.get("traceback", [])))
        raise CellFailure(
            f"{where} raised {failure.ename}: {failure.evalue}\n{excerpt(cell)}\n{trace}")
    reply = shell_reply(client, msg_id)
    if reply.get("status") == "error":
        raise CellFailure(
            f"{where} raised {reply.get('ename')}: {reply.get('evalue')}\n{excerpt(cell)}")


def shell_reply(client, msg_id: str) -> dict:
    """The execute_reply of the request; its status is the kernel's last word on the cell."""
    while True:
        try:
            message = client.get_shell_msg(timeout=30)
        except queue.Empty:
            return {}
        if message["parent_header"].get("msg_id") == msg_id:
            return message["content"]


def add_output(cell, message, by_display_id: dict) -> None:
    """Appends an output; consecutive stream text of one stream joins into one output, as in
    Jupyter's own frontends."""
    content = message["content"]
    last = cell.outputs[-1] if cell.outputs else None
    if (message["msg_type"] == "stream" and last is not None
            and last.output_type == "stream" and last.name == content["name"]):
        last.text += content["text"]
        return
    output = nbformat.v4.output_from_msg(message)
    cell.outputs.append(output)
    display_id = content.get("transient", {}).get("display_id")
    if display_id:
        by_display_id.setdefault(display_id, []).append(output)


def excerpt(cell) -> str:
    lines = cell.source.splitlines()
    shown = "\n".join("    " + line for line in lines[:8])
    return shown + ("\n    ..." if len(lines) > 8 else "")


def strip_ansi(text: str) -> str:
    import re
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def count_code_cells(notebook) -> int:
    return sum(1 for cell in notebook.cells if cell.cell_type == "code")


def write_atomically(notebook, path: str) -> None:
    """Temporary file in the same folder, then rename: a crash leaves the old notebook whole."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(suffix=".ipynb", dir=folder)
    try:
        # mkstemp makes the file private (0600); a notebook gets the usual mode instead.
        umask = os.umask(0)
        os.umask(umask)
        mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666 & ~umask
        os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            nbformat.write(notebook, file)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


if __name__ == "__main__":
    sys.exit(main())
