"""The industrial park's services, "1+1+3+N": investment projects from signing to
production, enterprise requests (诉求) worked to verified closure, the meetings and tasks
that drive them, and KPIs computed from the records. A bounded context of its own:
``domain`` holds the rules (the request's life as a state table read from data, the
KPIs, projects, four-eyes tasks), ``services`` its commands, ``adapters`` its store,
files and reports."""
