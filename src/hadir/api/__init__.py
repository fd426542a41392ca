"""The JSON API (FastAPI routers). ``hadir.server.create_app`` mounts them with the pages."""
