"""Data files prospect reads: rule catalogues, word lists, header synonyms, presets, weights."""
