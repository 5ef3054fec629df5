"""The linkage: commands, one handler per use case, and the bus that chains them."""
