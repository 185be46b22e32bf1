"""Kuntasivu inbox: receives the forms of the sites Kuntasivu builds. Never imports the generator."""

__version__ = "0.1.0"
