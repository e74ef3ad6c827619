"""Announcements of the manager (ogłoszenia zarządcy) for the cooperative, an estate or a building."""
