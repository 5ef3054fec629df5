"""Log futures delivered on the vehicle (车板交割) at the hub: a bounded context of its own.

``domain`` holds the rules (the GB/T 4814 volume, the tally and its inspection, a
delivery's life and deadlines, the site's slots), ``services`` its commands and their
handlers, ``adapters`` its store and files. It talks to the hub through the hub's bus (a
track reservation) and its query side (the trains on a track).
"""
