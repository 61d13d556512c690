"""One module per checked area: ``viewsets`` (class definitions), ``action_config`` (calls)."""
