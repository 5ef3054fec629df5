"""The park store, its state table file, import files and reports."""
