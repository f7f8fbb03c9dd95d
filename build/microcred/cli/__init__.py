"""The `microcred` command: one module per group of subcommands.

main (parser and error handling) -> catalogue (validate, schema, codeowners),
publish (build, serve, export), authoring (new, new-provider, diff, generate).
"""

from .main import main, run

__all__ = ["main", "run"]
