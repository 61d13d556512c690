"""Reliability: concurrency, faults, security and bad input, through the real ASGI stack."""
