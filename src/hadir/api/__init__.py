"""HTTP entry points (FastAPI). Build the app with :func:`hadir.api.app.create_app`."""
