"""What the API and the pages share over HTTP: the container's dependencies, the
session cookie and CSRF tokens, who is calling, error bodies and the rate-limit
middleware. ``hadir.api`` and ``hadir.web`` both use it and never import each other."""
