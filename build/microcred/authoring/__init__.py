"""What helps people write entries: `microcred new` and `new-provider`, YAML writing, `diff`, the field reference, and the committed generated files."""
