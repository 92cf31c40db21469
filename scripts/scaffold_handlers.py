"""Write a stub handler for every operationId in the document that has none.

For each operation of api/openapi.json, the handler is function
<snake_case(operationId)> in handlers/<first tag>.py (see api/routing.py). Any
that is missing is appended as a stub answering 501, so the server starts and
every path answers; existing code is never touched.

    python scripts/scaffold_handlers.py           # write the missing stubs
    python scripts/scaffold_handlers.py --check   # exit 1 if any are missing
"""
import argparse
import ast
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.routing import handler_target  # noqa: E402

BUNDLE = ROOT / "api" / "openapi.json"
HANDLERS = ROOT / "handlers"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

MODULE_HEADER = '''"""Handlers for the {tag!r} operations of the document."""
from handlers.stub import stub
'''

STUB = '''

@stub("{operation_id}")
def {function}(**kwargs):
    """{method} {path}"""
'''


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def defined_functions(module_file):
    """Names a module defines at top level: functions, imports and assignments."""
    if not module_file.exists():
        return set()
    names = set()
    for node in ast.parse(module_file.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def missing(document):
    """{module: [(function, operation_id, method, path, first tag)]} still unhandled."""
    wanted = {}
    for path, method, op in operations(document):
        module, function = handler_target(op)
        tag = (op.get("tags") or ["default"])[0]
        wanted.setdefault(module, []).append((function, op["operationId"], method.upper(), path, tag))
    result = {}
    for module, entries in sorted(wanted.items()):
        have = defined_functions(HANDLERS / (module + ".py"))
        todo = []
        for entry in entries:
            if entry[0] not in have:
                todo.append(entry)
                have.add(entry[0])  # operationIds differing only in case share one
        if todo:
            result[module] = todo
    return result


def write(todo):
    written = 0
    for module, entries in todo.items():
        module_file = HANDLERS / (module + ".py")
        text = module_file.read_text(encoding="utf-8") if module_file.exists() else \
            MODULE_HEADER.format(tag=entries[0][4])
        if "from handlers.stub import stub" not in text:
            text = text.rstrip("\n") + "\n\nfrom handlers.stub import stub  # noqa: E402\n"
        for function, operation_id, method, path, _ in entries:
            text += STUB.format(operation_id=operation_id, function=function, method=method, path=path)
            written += 1
        module_file.write_text(text, encoding="utf-8")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if any operation lacks a handler")
    args = parser.parse_args(argv)
    document = json.loads(BUNDLE.read_text(encoding="utf-8"))
    todo = missing(document)
    count = sum(len(v) for v in todo.values())
    if args.check:
        for module, entries in todo.items():
            for function, operation_id, *_ in entries:
                print("missing handlers/%s.py:%s for %s" % (module, function, operation_id))
        return 1 if count else 0
    written = write(todo)
    print("wrote %d stub(s) in %d module(s)" % (written, len(todo)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
