"""Validation: catalogue files in, every problem and the checked catalogue out.

files (find and read) -> records (parse and check one file; workers: many at
once; recall: a build's files checked before, by their bytes) -> cross (checks
across files) -> codeowners; run.validate() is the whole run.
"""

from .files import catalogue_root
from .run import Result, validate

__all__ = ["Result", "catalogue_root", "validate"]
