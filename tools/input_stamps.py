"""Stamps of generated documentation: the SHA-256 of every input a generated page or picture was
made from, kept in a text file beside it, so that a fast test can tell that it is stale without
making it again (which takes minutes). docs/scenarios.inputs (tests/calibration/scenarios_doc.py)
and docs/images/<picture>.inputs (scripts/images.py) are such stamps.

A stamp file is comment lines (#) and lines "<sha256>  <path>"; a path ending in "/" stands for a
folder's sources as one combined hash (sim/: every source under it)."""
import hashlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cmake", ".txt"}  # .txt: CMakeLists.txt


def digest(relative, root=ROOT):
    """The SHA-256 of a file; of a folder ("sim/"), of the list of its sources' paths and hashes."""
    path = root / relative
    if relative.endswith("/"):
        sources = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)
        if not sources:
            raise FileNotFoundError(f"{relative}: no sources")
        listing = "".join(f"{digest(p.relative_to(root).as_posix(), root)}  {p.relative_to(root).as_posix()}\n"
                          for p in sources)
        return hashlib.sha256(listing.encode()).hexdigest()
    if not path.is_file():
        raise FileNotFoundError(f"{relative}: an input that does not exist")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def scenario_chain(relative, root=ROOT):
    """A scenario file and every file it extends, in order (paths relative to the root)."""
    chain = []
    path = (root / relative).resolve()
    while True:
        chain.append(path.relative_to(root).as_posix())
        with open(path, "rb") as f:
            parent = tomllib.load(f).get("extends")
        if not parent:
            return chain
        path = (path.parent / parent).resolve()


def listing(header, inputs, root=ROOT):
    return header + "".join(f"{digest(f, root)}  {f}\n" for f in inputs)


def read_listing(path):
    """{input path: sha256} of a stamp file, or None when there is none."""
    path = Path(path)
    if not path.is_file():
        return None
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            sha, name = line.split("  ", 1)
            entries[name] = sha
    return entries


def differences(stored, inputs, root=ROOT):
    """Lines "changed: x", "new: x", "gone: x" between a stamp and the inputs as they are now."""
    current = {f: digest(f, root) for f in inputs}
    lines = [f"changed: {f}" for f in sorted(current) if f in stored and stored[f] != current[f]]
    lines += [f"new: {f}" for f in sorted(current) if f not in stored]
    lines += [f"gone: {f}" for f in sorted(stored) if f not in current]
    return lines
