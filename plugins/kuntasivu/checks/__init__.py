"""The accessibility gate: own static checks, the Nu Html Checker and pa11y-ci (axe + HTML_CodeSniffer).

A build whose pages have accessibility errors fails like a compiler error. Nothing here
imports MkDocs: the gate works on a folder of built HTML.
"""
