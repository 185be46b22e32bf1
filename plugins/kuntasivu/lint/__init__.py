"""`kuntasivu lint`: content checks that need no build, run in well under a second per municipality.

The loader (content/loading.py) already refuses content that cannot be built; these checks find
what builds fine but serves residents badly: useless alt texts, generic link texts, broken heading
order, long sentences, stale events and alerts, oversized images and dead links between sites.
One module per kind of check; nothing here imports MkDocs.
"""
