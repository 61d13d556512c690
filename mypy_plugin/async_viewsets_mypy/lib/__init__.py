"""Constants and helpers shared by the transformers."""
