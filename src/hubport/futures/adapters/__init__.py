"""The futures store, its site file and the measuring station's tally files."""
