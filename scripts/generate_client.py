"""Generate a Python client from api/openapi.json with openapi-python-client.

    python scripts/generate_client.py OUTPUT_DIR     # writes the package OUTPUT_DIR

The package has no project metadata (--meta none): put OUTPUT_DIR's parent on
sys.path and import it by OUTPUT_DIR's name. The generator's warnings about the
document are printed; the exit status is 1 when there are any, since a warning
means a part of the document the generator could not use.

Two valid response media types the generator cannot read are mapped to raw
bytes (content_type_overrides): image/* (GET /api/v4/image) and
application/x-ndjson (PUT /api/v4/channels/{channel_id}/members). No post hooks
run (the default ones call ruff, which the test tools do not install).
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCUMENT = ROOT / "api" / "openapi.json"
CONFIG = """\
post_hooks: []
content_type_overrides:
  image/*: application/octet-stream
  application/x-ndjson: application/octet-stream
"""
_WARNING = re.compile(r"^(WARNING parsing .*|Unable to (parse|process) .*)$", re.M)


def generator_command():
    """The openapi-python-client command beside this Python, else on PATH; None if missing."""
    beside = pathlib.Path(sys.executable).parent / "openapi-python-client"
    if beside.exists():
        return str(beside)
    return shutil.which("openapi-python-client")


def generate(output, document=DOCUMENT):
    """Generate the client package into output (replaced if it exists).
    Returns the generator's warnings (a list of their first lines); raises
    RuntimeError when the generator fails or is not installed."""
    command = generator_command()
    if command is None:
        raise RuntimeError("openapi-python-client is not installed")
    output = pathlib.Path(output)
    if output.exists():
        shutil.rmtree(output)
    with tempfile.TemporaryDirectory() as tmp:
        config = pathlib.Path(tmp) / "config.yaml"
        config.write_text(CONFIG)
        done = subprocess.run([command, "generate", "--path", str(document), "--output-path", str(output),
                               "--meta", "none", "--config", str(config)],
                              capture_output=True, text=True, timeout=300)
    text = done.stdout + done.stderr
    if done.returncode != 0 or not (output / "client.py").exists():
        raise RuntimeError("openapi-python-client failed (exit %d):\n%s" % (done.returncode, text))
    return [m.group(0) for m in _WARNING.finditer(text)], text


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    warnings, text = generate(argv[0])
    if warnings:
        print(text)
    print("generated %s: %d warning(s)" % (argv[0], len(warnings)))
    return 1 if warnings else 0


if __name__ == "__main__":
    sys.exit(main())
