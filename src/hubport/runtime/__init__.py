"""The hub's operating runtime: the long-running process that reacts to what the world
sends, decides, and dispatches crane work to the cranes' controllers (``hubport
operate``). One is active per site; the others wait as hot standbys on the lease."""
