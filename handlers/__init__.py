"""One module per tag of the document; one function per operationId.

A handler is thin: it takes the validated arguments (named and typed as
connexion would pass them: api.dispatch), checks the permission, calls the
store, and returns (body, status) or a body. It raises api.errors.AppError for
every failure, never writes SQL, and never touches a socket.
"""
