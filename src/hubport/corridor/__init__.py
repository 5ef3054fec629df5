"""Corridor routing and landed-cost quotes over the scheduled services of the corridor.

``network`` holds the data (places, services, nodes, tariffs, emission factors),
``timetable`` expands weekly services into dated departures, ``router`` finds the Pareto
set of itineraries, ``quote`` prices them (the landing bill) with CO2 per leg.
Pure code: the data files are read by ``hubport.adapters.corridor_files``.
"""
