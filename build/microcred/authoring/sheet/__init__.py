"""`microcred sheet export` and `microcred sheet import`: a provider's credentials as a spreadsheet, and back.

layout (the columns: names, an entry as cells, a row as an entry) -> cells
(reading one cell tolerantly) and files (.xlsx, .ods, .csv in and out);
exporting and importing are the two commands. The page for providers is
docs/contributing/spreadsheet.md.
"""

from .exporting import Exported, export_sheet
from .importing import Outcome, SheetImport, import_sheet

__all__ = ["Exported", "Outcome", "SheetImport", "export_sheet", "import_sheet"]
