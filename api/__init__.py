"""The application: the OpenAPI document, its assembly into a WSGI app, and what
every request shares (configuration, errors, authentication, request ids)."""
