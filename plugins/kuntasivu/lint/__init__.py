"""`kuntasivu lint`: content checks that need no build, run in well under a second per municipality.

The loader (content/loading.py) already refuses content that cannot be built. These checks find
what serves residents badly: useless alt texts, generic link texts, broken heading order, long
sentences, stale events and alerts, oversized images and dead links between sites. Some of it the
build's accessibility gate would refuse too (a generic link text, a skipped heading level), only
minutes later and on the built page; lint says it at once, at the line in the content file.
One module per kind of check; nothing here imports MkDocs.
"""
