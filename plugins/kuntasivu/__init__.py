"""Kuntasivu: accessible municipal websites from YAML content."""

__version__ = "0.1.0"
