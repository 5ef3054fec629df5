"""Crane work in one home: the control loop that dispatches crane jobs to the cranes'
controllers and follows their reports (``control``), and the floor that steps it with
in-process virtual controllers (``floor``). The runtime runs them; the twin only plays
the world around them."""
