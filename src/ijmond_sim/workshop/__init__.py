"""Participatory mode: rooms in which people play the councils while a facilitator holds the clock."""
