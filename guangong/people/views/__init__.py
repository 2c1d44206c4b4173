"""The people pages: lists and details (``pages``), create, edit and delete (``editing``), reveals,
lookups and pickers (``lookups``), mentorships (``mentorships``).
"""
