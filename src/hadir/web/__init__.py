"""The web app: server-rendered pages (Jinja2) and a little plain JavaScript.

Pages call the services directly (forms) or the JSON API from the browser (the camera
pages). ``install_web(app)`` adds the page routers, ``/static``, the security headers and
the sign-in redirect to a FastAPI app; nothing here is imported before that.
"""
