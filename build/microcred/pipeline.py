"""`microcred build`: one pipeline, read top to bottom.

validate -> render pages (Markdown) -> site (MkDocs) -> open data (api/v1)
-> search index (Pagefind) -> swap the finished site into place.
Nothing is written before validation has passed.
"""
