"""The site: the page plan and views, the Jinja2 templates, MkDocs shells, the bodies filled into them, and the search index (Pagefind)."""
