"""The layers of the accessibility gate, by the names the command line and the reports use.

Apart from gate.py so that the command line can offer them without importing the gate (which
brings the HTML parser and the page model: `kuntasivu lint` should start fast)."""

LAYERS = ("static", "nu", "pa11y")
"""The gate's layers, in the order they run."""
