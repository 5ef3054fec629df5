"""The outside world: database, files, and (in later issues) EDI, MQTT and customs links."""
