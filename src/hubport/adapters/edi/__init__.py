"""The EDIFACT gateway: read, validate, map and write the container messages (SMDG profiles).

``syntax`` reads an interchange (on pydifact), ``validation`` checks it before anything is
applied, ``documents`` decodes a message into plain data, ``inbound`` maps that data to
platform commands, ``outbound`` writes messages from the platform's records, and
``folders`` and ``outbox`` move files and record what was sent; the gateway that ties
them to the bus lives in the service layer (``hubport.services.edi_gateway``).
"""
