"""Build api/openapi.json, the document the server loads, from api/source/.

api/source/introduction.yaml holds the top of the document (info, tags, servers,
default security); definitions.yaml holds the components; every other file
holds the paths of one area of the API. The bundle is JSON because it loads
several times faster than YAML at server start.

    python scripts/bundle_api.py           # write api/openapi.json
    python scripts/bundle_api.py --check   # exit 1 if api/openapi.json is stale
"""
import argparse
import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "api" / "source"
BUNDLE = ROOT / "api" / "openapi.json"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


class UniqueKeyLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):
    """A YAML loader that refuses a mapping with the same key twice."""


def _unique_mapping(loader, node, deep=False):
    keys = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        keys.add(key)
    return loader.construct_mapping(node, deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=UniqueKeyLoader) or {}


def build():
    """Return the bundled document as a dict; raise ValueError on a clash."""
    doc = load_yaml(SOURCE / "introduction.yaml")
    paths = {}
    owner = {}
    operation_ids = {}
    for path_file in sorted(SOURCE.glob("*.yaml")):
        if path_file.stem in ("introduction", "definitions"):
            continue
        for path, item in load_yaml(path_file).items():
            if path in paths:
                raise ValueError("path %s is in both %s and %s" % (path, owner[path], path_file.name))
            for method, op in item.items():
                if method not in HTTP_METHODS:
                    continue
                op_id = op.get("operationId")
                if not op_id:
                    raise ValueError("%s %s in %s has no operationId" % (method.upper(), path, path_file.name))
                if op_id in operation_ids:
                    raise ValueError("operationId %s is used twice: %s and %s %s"
                                     % (op_id, operation_ids[op_id], method.upper(), path))
                operation_ids[op_id] = "%s %s" % (method.upper(), path)
            paths[path] = item
            owner[path] = path_file.name
    doc["paths"] = dict(sorted(paths.items()))
    doc.update(load_yaml(SOURCE / "definitions.yaml"))
    return doc


def render(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def validate(doc):
    from openapi_spec_validator import validate as validate_spec
    validate_spec(doc)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the bundle is stale")
    parser.add_argument("--no-validate", action="store_true", help="skip openapi-spec-validator")
    args = parser.parse_args(argv)
    doc = build()
    text = render(doc)
    if args.check:
        current = BUNDLE.read_text(encoding="utf-8") if BUNDLE.exists() else ""
        if current != text:
            print("api/openapi.json is stale: run python scripts/bundle_api.py", file=sys.stderr)
            return 1
        print("api/openapi.json is up to date")
        return 0
    if not args.no_validate:
        validate(doc)
    BUNDLE.write_text(text, encoding="utf-8")
    ops = sum(1 for item in doc["paths"].values() for m in item if m in HTTP_METHODS)
    print("wrote %s: %d paths, %d operations" % (BUNDLE.relative_to(ROOT), len(doc["paths"]), ops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
