"""The web console: server-rendered pages over the query module, forms that send bus
commands, in English and Chinese (gettext catalogs under ``locale/``)."""
