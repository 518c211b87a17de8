"""The signing keys from the command line: ``python -m <package>.keys COMMAND``.

- ``generate``: make JWT_PRIVATE_KEY_FILE if it is missing (a new deployment).
- ``rotate``: replace the key; the old public key stays in the JWKS until its tokens expire.
- ``jwks``: print the JSON Web Key Set the service publishes.

It reads the service's settings (the environment, or .env in the current folder).
"""

import argparse
import json

from .core import keys, signing_keys


def main(argv: list[str] | None = None) -> int:
    """Run one command; exit status 0 on success."""
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.keys")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help="make the signing key file if it is missing")
    commands.add_parser("rotate", help="replace the signing key, keeping the old public key")
    commands.add_parser("jwks", help="print the published JSON Web Key Set")
    args = parser.parse_args(argv)
    config = keys.for_command_line()
    try:
        if args.command == "generate":
            made = signing_keys.generate(config)
            print(f"key {made} written" if made else "a key exists; nothing done")
        elif args.command == "rotate":
            old, new = signing_keys.rotate(config)
            print(f"signing with key {new}; key {old} stays published until its tokens expire")
        else:
            print(json.dumps(signing_keys.jwks(config), indent=2))
    except signing_keys.SigningKeyError as exc:
        raise SystemExit(f"keys {args.command}: {exc}") from None
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
