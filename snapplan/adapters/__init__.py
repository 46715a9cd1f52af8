"""Storage adapters: ``memory`` (in-process, transactional) and ``sql`` (SQLAlchemy Core)."""
